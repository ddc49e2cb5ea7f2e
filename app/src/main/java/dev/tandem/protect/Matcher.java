package dev.tandem.protect;

import java.util.regex.Pattern;

/** A rule of classification: a key name or a value that matches {@code pattern} gets {@code fieldClass}. */
record Matcher(Pattern pattern, FieldClass fieldClass, String description) {
    boolean matches(String text) {
        return pattern.matcher(text).find();
    }
}
