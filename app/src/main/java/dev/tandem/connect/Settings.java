package dev.tandem.connect;

import dev.tandem.config.ConfigNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A destination's settings, read and checked against its type's declarations: every value typed,
 * every required one present, no unknown one. {@code ${NAME}} in a text value is replaced by the
 * environment variable {@code NAME} when the workspace is read; one that is not set is an error.
 */
public final class Settings {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, Object> values;
    private final List<SettingSpec<?>> specs;

    private Settings(Map<String, Object> values, List<SettingSpec<?>> specs) {
        this.values = values;
        this.specs = specs;
    }

    /** The value of {@code setting}, or its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(SettingSpec<T> setting) {
        Object value = values.get(setting.name());
        return value == null ? setting.defaultValue() : (T) value;
    }

    /** Settings from values already typed (tests, benchmarks); missing required ones are refused. */
    public static Settings of(ConnectorType type, Map<String, Object> values) {
        for (SettingSpec<?> s : type.settings()) {
            if (s.required() && !values.containsKey(s.name())) {
                throw new IllegalArgumentException("the " + type.name() + " connector needs '" + s.name() + "'");
            }
        }
        return new Settings(new HashMap<>(values), type.settings());
    }

    /** Reads {@code node} (a mapping) against {@code type}'s declarations, with {@code env} for {@code ${NAME}}. */
    public static Settings read(ConnectorType type, ConfigNode node, java.util.function.Function<String, String> env) {
        Map<String, SettingSpec<?>> byName = new LinkedHashMap<>();
        type.settings().forEach(s -> byName.put(s.name(), s));
        Map<String, Object> values = new HashMap<>();
        if (!node.isMissing()) {
            for (var e :
                    node.fields(Set.copyOf(byName.keySet()), "the settings of a " + type.name() + " destination")) {
                ConfigNode value = substituted(e.getValue(), env);
                values.put(e.getKey(), byName.get(e.getKey()).reader().read(value));
            }
        }
        for (SettingSpec<?> s : type.settings()) {
            if (s.required() && !values.containsKey(s.name())) {
                throw node.isMissing()
                        ? node.error("a " + type.name() + " destination needs 'settings' with '" + s.name() + "': "
                                + s.doc() + ".")
                        : node.error("a " + type.name() + " destination needs the setting '" + s.name() + "': "
                                + s.doc() + ".");
            }
        }
        return new Settings(values, type.settings());
    }

    /** The settings as listed back: secrets as {@code ***}, optional ones left out as null. */
    public Map<String, Object> described() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SettingSpec<?> s : specs) {
            Object v = get(s);
            if (v instanceof java.util.Optional<?> optional) {
                v = optional.orElse(null);
            }
            out.put(s.name(), v == null ? null : s.kind() == SettingSpec.Kind.SECRET ? "***" : v.toString());
        }
        return out;
    }

    private static ConfigNode substituted(ConfigNode node, java.util.function.Function<String, String> env) {
        if (node.node() == null || !node.node().isTextual()) {
            if (node.node() != null && node.node().isObject()) {
                var copy = node.node().deepCopy();
                var object = (com.fasterxml.jackson.databind.node.ObjectNode) copy;
                for (var e : node.fields(null, "a mapping")) {
                    object.set(e.getKey(), substituted(e.getValue(), env).node());
                }
                return new ConfigNode(object, node.path(), node.problems());
            }
            return node;
        }
        Matcher m = VARIABLE.matcher(node.node().asText());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                throw node.error("the environment variable " + m.group(1)
                        + " is not set; export it before starting Tandem, or write the value here.");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return new ConfigNode(
                com.fasterxml.jackson.databind.node.TextNode.valueOf(out.toString()), node.path(), node.problems());
    }
}
