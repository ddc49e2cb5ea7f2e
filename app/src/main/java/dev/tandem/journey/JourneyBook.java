package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.ConfigNode;
import dev.tandem.expr.Expressions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journeys declared now, each at its current version, and every earlier version an instance
 * may still be on (read back from {@code journey_versions} when first needed), and which journeys
 * are paused. Read by the stage, the runner and the routes without a lock.
 */
final class JourneyBook {
    /** A journey at one version. */
    record Versioned(Journey journey, int version) {}

    private final Map<String, Versioned> current = new java.util.LinkedHashMap<>();
    private final Map<String, Journey> versions = new ConcurrentHashMap<>();
    private final JourneyStore store;
    private final ObjectMapper mapper;
    private final Expressions expressions;
    private volatile Set<String> paused;

    JourneyBook(List<Journey> declared, JourneyStore store, ObjectMapper mapper, Expressions expressions, long now) {
        this.store = store;
        this.mapper = mapper;
        this.expressions = expressions;
        for (Journey j : declared) {
            int version = store.version(
                    j.key(),
                    j.definition().declaration().toString(),
                    j.definition().declaredVersion(),
                    now);
            current.put(j.key(), new Versioned(j, version));
            versions.put(j.key() + "@" + version, j);
        }
        this.paused = store.paused();
    }

    java.util.Collection<Versioned> all() {
        return current.values();
    }

    Versioned current(String key) {
        return current.get(key);
    }

    /** The journey as it was at {@code version}; null when that version is unknown. */
    Journey at(String key, int version) {
        return versions.computeIfAbsent(key + "@" + version, k -> {
            String declaration = store.declarations(key).get(version);
            if (declaration == null) {
                return null;
            }
            try {
                JsonNode node = mapper.readTree(declaration);
                ConfigNode.Problems problems = (path, problem) -> new IllegalStateException(
                        "journey " + key + " version " + version + " no longer reads (" + path + "): " + problem);
                return JourneyDeclarations.one(new ConfigNode(node, "/journeys/" + key, problems), expressions);
            } catch (IOException e) {
                throw new IllegalStateException("journey " + key + " version " + version + " is not JSON", e);
            }
        });
    }

    boolean paused(String key) {
        return paused.contains(key);
    }

    Set<String> paused() {
        return paused;
    }

    void setPaused(String key, boolean on, long now) {
        store.pause(key, on, now);
        paused = store.paused();
    }
}
