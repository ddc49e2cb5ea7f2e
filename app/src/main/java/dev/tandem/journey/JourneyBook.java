package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.ConfigNode;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journeys live now, each at its current version (those of tandem.yaml, then those made through
 * changes), every earlier version an instance may still be on (read back from
 * {@code journey_versions} when first needed), and which journeys are paused. Read by the stage,
 * the runner and the routes without a lock: a journey made live replaces the map of current ones.
 */
final class JourneyBook {
    /** A journey at one version. */
    record Versioned(Journey journey, int version) {}

    private volatile Map<String, Versioned> current = Map.of();
    private final Set<String> workspace;
    private final Map<String, Journey> versions = new ConcurrentHashMap<>();
    private final JourneyStore store;
    private final ObjectMapper mapper;
    private final Expressions expressions;
    private volatile Set<String> paused;
    private volatile Cover cover = new Cover(-1, List.of(), true, false);

    /**
     * What the exits and {@code wait_for} steps of every stored version watch: their event
     * conditions, and whether any watches an audience. {@code complete} is false when some version
     * could not be read back: the stage then watches every event and every membership change.
     */
    record Cover(long versions, List<Expression> events, boolean audiences, boolean complete) {}

    JourneyBook(List<Journey> declared, JourneyStore store, ObjectMapper mapper, Expressions expressions, long now) {
        this.store = store;
        this.mapper = mapper;
        this.expressions = expressions;
        Map<String, Versioned> live = new java.util.LinkedHashMap<>();
        for (Journey j : declared) {
            live.put(j.key(), versioned(j, now));
        }
        this.workspace = Set.copyOf(live.keySet());
        this.current = java.util.Collections.unmodifiableMap(live);
        this.paused = store.paused();
    }

    private Versioned versioned(Journey j, long now) {
        int version = store.version(
                j.key(), j.definition().declaration().toString(), j.definition().declaredVersion(), now);
        versions.put(j.key() + "@" + version, j);
        return new Versioned(j, version);
    }

    /** Whether tandem.yaml declares the journey (it is then changed in the file, not through the API). */
    boolean inWorkspace(String key) {
        return workspace.contains(key);
    }

    /**
     * Makes {@code journey} live under its key (a changed declaration is a new version; instances in
     * flight stay on theirs), or with null stops new entries into {@code key}: instances in flight
     * run on at their version. Returns the version now live, 0 when none.
     */
    synchronized int put(String key, Journey journey, long now) {
        Map<String, Versioned> next = new java.util.LinkedHashMap<>(current);
        if (journey == null) {
            next.remove(key);
        } else {
            next.put(key, versioned(journey, now));
        }
        current = java.util.Collections.unmodifiableMap(next);
        return journey == null ? 0 : next.get(key).version();
    }

    /** The version a declaration would get if it were made live now (the live one when unchanged). */
    int nextVersion(String key, String declaration) {
        Versioned v = current.get(key);
        if (v != null && v.journey().definition().declaration().toString().equals(declaration)) {
            return v.version();
        }
        return store.declarations(key).keySet().stream()
                        .mapToInt(Integer::intValue)
                        .max()
                        .orElse(0)
                + 1;
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

    /**
     * The cover of the versions stored now, worked out again when their number changed (another
     * process may have stored one). An instance is on a stored version, so an event no condition of
     * the cover matches can neither exit nor wake one.
     */
    Cover cover() {
        long stored = store.versionCount();
        Cover known = cover;
        if (known.versions() == stored) {
            return known;
        }
        synchronized (this) {
            List<Expression> events = new java.util.ArrayList<>();
            boolean audiences = false;
            boolean complete = true;
            for (Map.Entry<String, Integer> v : store.versions()) {
                Journey j;
                try {
                    j = at(v.getKey(), v.getValue());
                } catch (RuntimeException unreadable) {
                    j = null;
                }
                if (j == null) {
                    complete = false;
                    continue;
                }
                JourneyDefinition.ExitWhen exit = j.definition().exitWhen();
                if (exit != null && exit.event() != null) {
                    events.add(exit.event());
                }
                audiences |= exit != null && exit.leftAudience() != null;
                for (Step.WaitFor w : j.waitFors()) {
                    if (w.event() != null) {
                        events.add(w.event());
                    }
                    audiences |= w.audience() != null;
                }
            }
            cover = new Cover(stored, List.copyOf(events), audiences, complete);
            return cover;
        }
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
