package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * tandem.yaml read at start as changes like any other. The first start takes the file as it is (the
 * workspace it declares). After that, each object the file adds, edits or removes is compared with
 * what was last applied: a change of low tier (or while nobody could approve one) applies; any other
 * becomes a pending change, and the object stays as it was applied until the change is approved, so
 * a restart never bypasses approval. An approved file change is live from the next start.
 */
final class FileChanges {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FileChanges.class);

    /** A section of tandem.yaml holding objects of one kind: a list keyed by {@code keyField}, or (null) one object. */
    record Section(String name, String kind, String keyField) {}

    static final List<Section> SECTIONS = List.of(
            new Section("sources", "source", "name"),
            new Section("trackingPlans", "trackingPlan", "key"),
            new Section("classification", "classification", null),
            new Section("purposes", "purposes", null),
            new Section("consentCategories", "consent", null),
            new Section("policies", "policy", null),
            new Section("identity", "identity", null),
            new Section("profiles", "profiles", null),
            new Section("audiences", "audience", "key"),
            new Section("placements", "placement", "key"),
            new Section("destinations", "destination", "key"),
            new Section("kpis", "kpi", "key"),
            new Section("journeys", "journey", "key"));

    private final ChangeStore store;
    private final FileProposals flow;
    private final Clock clock;
    private final Map<String, Function<JsonNode, Map<String, Object>>> facts;

    FileChanges(
            ChangeStore store,
            FileProposals flow,
            Clock clock,
            Map<String, Function<JsonNode, Map<String, Object>>> facts) {
        this.store = store;
        this.flow = flow;
        this.clock = clock;
        this.facts = facts;
    }

    /** The file's tree with every object whose change waits for approval put back as it was applied. */
    JsonNode reconcile(JsonNode fileRoot) {
        if (!(fileRoot instanceof ObjectNode root)) {
            return fileRoot;
        }
        if (!store.anyApplied()) {
            takeAsItIs(root);
            return root;
        }
        Map<String, Map<String, JsonNode>> applied = store.applied();
        for (Section s : SECTIONS) {
            Map<String, JsonNode> inFile = objects(root, s);
            Map<String, JsonNode> was = applied.getOrDefault(s.kind(), Map.of());
            Map<String, JsonNode> live = new LinkedHashMap<>();
            Set<String> keys = new LinkedHashSet<>(inFile.keySet());
            keys.addAll(was.keySet());
            boolean patched = false;
            for (String key : keys) {
                JsonNode file = inFile.get(key);
                JsonNode before = was.get(key);
                JsonNode keep = decide(s.kind(), key, file, before);
                patched |= !same(keep, file);
                if (keep != null) {
                    live.put(key, keep);
                }
            }
            if (patched) {
                put(root, s, live);
            }
        }
        long waiting = store.page(Status.PENDING, null, 0, 1_000).stream()
                .filter(c -> c.target().origin().equals("file"))
                .count();
        if (waiting > 0) {
            log.atWarn()
                    .addKeyValue("pending", waiting)
                    .log("edits of tandem.yaml wait for approval and are not live yet: GET /v1/changes?status=pending");
        }
        return root;
    }

    /** What stays live for one object: the file's version when it applies, else what was applied. */
    private JsonNode decide(String kind, String key, JsonNode file, JsonNode before) {
        Optional<Change> open = store.open(kind, key, "file");
        if (same(file, before)) {
            open.ifPresent(c -> flow.replaced(c, "tandem.yaml was changed back to what is live."));
            return file;
        }
        if (open.isPresent() && same(open.get().declaration(), file)) {
            if (open.get().status() == Status.APPROVED) {
                store.putApplied(kind, key, file, open.get().id(), clock.millis());
                flow.appliedAtStart(open.get());
                return file;
            }
            return before;
        }
        open.ifPresent(
                c -> flow.replaced(c, "tandem.yaml was edited again before this was approved; see the newer change."));
        Change c = flow.fromFile(facts.getOrDefault(kind, d -> Map.of()), kind, key, file, before);
        if (c.status() == Status.APPLIED) {
            store.putApplied(kind, key, file, c.id(), clock.millis());
            return file;
        }
        return before;
    }

    /** The first start: the file is the workspace; one applied change records it. */
    private void takeAsItIs(ObjectNode root) {
        ObjectNode whole = JsonNodeFactory.instance.objectNode();
        for (Section s : SECTIONS) {
            if (root.has(s.name())) {
                whole.set(s.name(), root.get(s.name()));
            }
        }
        Change c = flow.firstStart(whole);
        // a marker, so that a workspace declaring nothing is not taken as a first start again
        store.putApplied("workspace", "tandem.yaml", whole, c.id(), clock.millis());
        for (Section s : SECTIONS) {
            objects(root, s).forEach((key, d) -> store.putApplied(s.kind(), key, d, c.id(), clock.millis()));
        }
    }

    static Map<String, JsonNode> objects(ObjectNode root, Section s) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode node = root.get(s.name());
        if (node == null || node.isNull()) {
            return out;
        }
        if (s.keyField() == null) {
            out.put(s.name(), node);
            return out;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.path(s.keyField()).isTextual()) {
                    out.put(item.get(s.keyField()).asText(), item);
                }
            }
        }
        return out;
    }

    private static void put(ObjectNode root, Section s, Map<String, JsonNode> live) {
        if (s.keyField() == null) {
            JsonNode v = live.get(s.name());
            if (v == null) {
                root.remove(s.name());
            } else {
                root.set(s.name(), v);
            }
            return;
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        JsonNode had = root.get(s.name());
        if (had != null && had.isArray()) {
            for (JsonNode item : had) {
                if (!item.path(s.keyField()).isTextual()) {
                    list.add(item); // the section's reader names what is wrong with it
                }
            }
        }
        live.values().forEach(list::add);
        root.set(s.name(), list);
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a == null ? b == null : a.equals(b);
    }
}
