package dev.tandem.connect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector types as {@code GET /v1/destinations/types} and {@code tandem destinations types}
 * list them, from their one declaration: name, description, data needs, and each setting's name,
 * kind, whether it is required, its default and its doc.
 */
public final class ConnectorTypes {
    private ConnectorTypes() {}

    public static List<Map<String, Object>> describe(Connectors connectors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectorType t : connectors.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("description", t.description());
            m.put("purposes", t.needs().purposes());
            m.put("fieldClasses", t.needs().fieldClasses());
            List<Map<String, Object>> settings = new ArrayList<>();
            for (SettingSpec<?> s : t.settings()) {
                Map<String, Object> setting = new LinkedHashMap<>();
                setting.put("name", s.name());
                setting.put("kind", s.kind().wireName());
                setting.put("required", s.required());
                Object d = s.defaultValue();
                setting.put(
                        "default",
                        d == null
                                        || d instanceof java.util.Optional<?> o && o.isEmpty()
                                        || d instanceof Map<?, ?> map && map.isEmpty()
                                ? null
                                : d instanceof java.time.Duration duration ? duration.toSeconds() + "s" : d.toString());
                setting.put("doc", s.doc());
                settings.add(setting);
            }
            m.put("settings", settings);
            out.add(m);
        }
        return out;
    }
}
