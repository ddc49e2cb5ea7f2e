package dev.tandem.protect;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A rule of classification: a key name or a value that matches {@code pattern} gets {@code fieldClass}.
 * {@code possible} is a cheap test that is false only for text the pattern cannot match (an email
 * address has an {@code @}); every value of every event is tried, so the regex runs only where it could.
 */
record Matcher(Pattern pattern, FieldClass fieldClass, String description, Predicate<String> possible) {
    Matcher(Pattern pattern, FieldClass fieldClass, String description) {
        this(pattern, fieldClass, description, text -> true);
    }

    boolean matches(String text) {
        return possible.test(text) && pattern.matcher(text).find();
    }
}
