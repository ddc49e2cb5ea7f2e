package dev.tandem.server;

import java.util.function.Function;

/**
 * One server setting, declared once: its key in {@code tandem.yaml}'s {@code server:} block, its
 * environment variable, its default, how to read and check a value, and one line of doc. The same
 * declaration drives configuration, validation and {@code tandem serve --help}.
 *
 * @param parse turns text into a value, throwing IllegalArgumentException with the fix when it is wrong
 */
public record Setting<T>(String key, String env, T defaultValue, Function<String, T> parse, String doc) {

    /** What {@code --help} and the docs print for this setting. */
    public String describe() {
        return String.format(
                "  %s, %s (default: %s)%n      %s", key, env, defaultValue == null ? "none" : defaultValue, doc);
    }
}
