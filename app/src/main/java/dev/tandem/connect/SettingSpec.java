package dev.tandem.connect;

import dev.tandem.config.ConfigNode;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One setting of a {@link ConnectorType}, declared once: name, kind, default (null: required),
 * one line of doc, and how a value is read from tandem.yaml (with the file and line on error).
 * Secrets are never listed back. Values are read with {@link Settings#get}, typed.
 *
 * @param <T> the value's type
 */
public record SettingSpec<T>(String name, Kind kind, T defaultValue, String doc, Reader<T> reader) {
    /** What sort of value a setting holds, as {@code tandem destinations types} lists it. */
    public enum Kind {
        TEXT,
        SECRET,
        URL,
        INTEGER,
        DURATION,
        BOOLEAN,
        CHOICE,
        HEADERS;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Reads a value; throws {@code node.error(...)} when it is not one. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ConfigNode node);
    }

    public boolean required() {
        return defaultValue == null;
    }

    public static SettingSpec<String> text(String name, String defaultValue, String doc) {
        return new SettingSpec<>(name, Kind.TEXT, defaultValue, doc, n -> n.text("'" + name + "'"));
    }

    /** A secret, such as a signing secret or a write key; {@code check} refuses a malformed one with its message. */
    public static SettingSpec<String> secret(String name, String doc, Function<String, String> check) {
        return new SettingSpec<>(name, Kind.SECRET, null, doc, n -> {
            String value = n.text("'" + name + "'");
            String problem = check.apply(value);
            if (problem != null) {
                throw n.error(problem);
            }
            return value;
        });
    }

    /** An http or https URL. */
    public static SettingSpec<URI> url(String name, URI defaultValue, String doc) {
        return new SettingSpec<>(name, Kind.URL, defaultValue, doc, n -> {
            String text = n.text("'" + name + "'");
            try {
                URI uri = new URI(text);
                if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw n.error("'" + name + "' must be an http or https URL such as https://tool.example/hook.");
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                throw n.error("'" + name + "' is not a URL: " + e.getReason() + ".");
            }
        });
    }

    /** A URL that may be left out. */
    public static SettingSpec<java.util.Optional<URI>> optionalUrl(String name, String doc) {
        SettingSpec<URI> url = url(name, null, doc);
        return new SettingSpec<>(
                name,
                Kind.URL,
                java.util.Optional.empty(),
                doc,
                n -> java.util.Optional.of(url.reader().read(n)));
    }

    public static SettingSpec<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return new SettingSpec<>(name, Kind.INTEGER, defaultValue, doc, n -> n.intIn(min, max, "'" + name + "'"));
    }

    /** A duration such as {@code 10s}, at most {@code max}. */
    public static SettingSpec<Duration> duration(String name, Duration defaultValue, Duration max, String doc) {
        return new SettingSpec<>(name, Kind.DURATION, defaultValue, doc, n -> {
            Duration d = n.duration("'" + name + "'");
            if (d.compareTo(max) > 0) {
                throw n.error("'" + name + "' may be at most " + max.toSeconds() + "s.");
            }
            return d;
        });
    }

    public static SettingSpec<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new SettingSpec<>(name, Kind.BOOLEAN, defaultValue, doc, n -> n.bool("'" + name + "'"));
    }

    public static SettingSpec<String> choice(String name, String defaultValue, List<String> choices, String doc) {
        return new SettingSpec<>(name, Kind.CHOICE, defaultValue, doc + " (" + String.join(", ", choices) + ")", n -> {
            String value = n.text("'" + name + "'");
            if (!choices.contains(value)) {
                throw n.error("'" + name + "' must be one of " + choices + ", not '" + value + "'.");
            }
            return value;
        });
    }

    /** Extra HTTP headers, a mapping of name to text value. */
    public static SettingSpec<Map<String, String>> headers(String name, String doc) {
        return new SettingSpec<>(name, Kind.HEADERS, Map.of(), doc, n -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (var e : n.fields(null, "'" + name + "'")) {
                if (!e.getKey().matches("[A-Za-z0-9-]{1,64}")) {
                    throw e.getValue().error("'" + e.getKey() + "' is not a header name (letters, digits and '-').");
                }
                out.put(e.getKey(), e.getValue().text("the header '" + e.getKey() + "'"));
            }
            return Map.copyOf(out);
        });
    }
}
