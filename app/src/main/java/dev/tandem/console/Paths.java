package dev.tandem.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A value the viewer typed, written into the path or query of an API call so it stays one value. */
final class Paths {
    private Paths() {}

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
