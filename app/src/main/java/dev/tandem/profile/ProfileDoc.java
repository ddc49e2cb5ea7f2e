package dev.tandem.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.expr.ProfileView;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.ProfileChange;
import dev.tandem.protect.ConsentSignal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One profile's document, the JSON kept in {@code profile_docs}:
 * {@code {"traits": {name: {"v": value, "t": millis, "s": sourceId}}, "firstSeen", "lastSeen",
 * "events", "channels": [...], "sources": [...], "computed": {name: state},
 * "consent": {purpose: {"g": granted, "t": millis, "sig": signal}}, "seqs": [recent event seqs]}}
 * ({@link EventIndex} spills full chunks of seqs). A thin typed view
 * over the tree, so that loading and saving are one parse and one write per profile.
 */
final class ProfileDoc {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode doc;

    ProfileDoc(ObjectNode doc) {
        this.doc = doc;
    }

    static ProfileDoc empty() {
        ObjectNode doc = JSON.objectNode();
        doc.putObject("traits");
        doc.putArray("channels");
        doc.putArray("sources");
        doc.putObject("computed");
        return new ProfileDoc(doc);
    }

    ObjectNode json() {
        return doc;
    }

    /**
     * Applies one event: seen times, channel, source, identify traits, computed traits. Adds to
     * {@code changes} what the event changed, named as expressions read it ({@code traits},
     * {@code traits.plan}, {@code event_count}...), so later stages re-evaluate only what depends on it.
     */
    void apply(
            BatchItem item,
            ProfileRules rules,
            Function<String, String> sourceName,
            ProfileChange changes,
            List<ConsentChange> consented) {
        long firstSeen = firstSeen();
        seen(item.timestamp(), item.timestamp());
        changes.add("event_count");
        changes.add("last_seen");
        if (firstSeen != firstSeen()) {
            changes.add("first_seen");
        }
        doc.put("events", doc.path("events").asLong() + 1);
        if (addOnce(array("channels"), channel(item.event()))) {
            changes.add("channels");
        }
        if (addOnce(array("sources"), item.sourceId())) {
            changes.add("sources");
        }
        if ("identify".equals(item.type()) && item.event().get("traits") instanceof ObjectNode incoming) {
            ObjectNode traits = traits();
            for (var e : incoming.properties()) {
                if (offer(traits, e.getKey(), e.getValue(), item.timestamp(), item.sourceId(), rules, sourceName)) {
                    changes.add("traits");
                    changes.add("traits." + e.getKey());
                }
            }
        }
        for (ConsentSignal signal : rules.purposes().signals(item.event())) {
            if (choose(signal.purpose(), signal.granted(), item.timestamp(), signal.signal())) {
                changes.add("consent");
                changes.add("consent." + signal.purpose());
                consented.add(new ConsentChange(
                        signal.purpose(), signal.granted(), signal.signal(), item.timestamp(), item.messageId()));
            }
        }
        ObjectNode computed = (ObjectNode) doc.get("computed");
        for (ComputedTrait trait : rules.computedTraits()) {
            if (trait.matches(item)) {
                trait.apply(computed, item);
                changes.add("computed");
                changes.add("computed." + trait.name());
            }
        }
    }

    /** The profile as other capabilities read it, with computed traits valued at {@code now}. */
    ProfileView view(long id, ProfileRules rules, Function<String, String> sourceName, long now) {
        Map<String, JsonNode> traitValues = new LinkedHashMap<>();
        traits().properties().forEach(e -> {
            if (e.getValue().has("v")) { // a personal trait no stage reads may be held as ciphertext only
                traitValues.put(e.getKey(), e.getValue().get("v"));
            }
        });
        Map<String, JsonNode> computedValues = new LinkedHashMap<>();
        for (ComputedTrait t : rules.computedTraits()) {
            computedValues.put(t.name(), t.value(computedState(t.name()), now));
        }
        List<String> channels = new ArrayList<>();
        array("channels").forEach(c -> channels.add(c.asText()));
        List<String> sources = new ArrayList<>();
        array("sources").forEach(s -> sources.add(sourceName.apply(s.asText())));
        return new ProfileView(
                id,
                Collections.unmodifiableMap(traitValues),
                Collections.unmodifiableMap(computedValues),
                List.copyOf(channels),
                List.copyOf(sources),
                events(),
                firstSeen(),
                lastSeen(),
                rules.purposes().effective(stated()));
    }

    /** The customer's stated choices: purpose to granted. */
    Map<String, Boolean> stated() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        doc.path("consent")
                .properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().path("g").asBoolean()));
        return out;
    }

    /** The stored choice of each purpose: granted, when (epoch millis) and through which signal. */
    ObjectNode consentState() {
        return doc.get("consent") instanceof ObjectNode c ? c : JSON.objectNode();
    }

    /** Records a choice unless a later one is held; true when the choice changed. */
    private boolean choose(String purpose, boolean granted, long at, String signal) {
        ObjectNode consent = doc.get("consent") instanceof ObjectNode c ? c : doc.putObject("consent");
        JsonNode held = consent.get(purpose);
        if (held != null && held.path("t").asLong() > at) {
            return false;
        }
        boolean changed = held == null || held.path("g").asBoolean() != granted;
        if (changed || held.path("t").asLong() < at) {
            ObjectNode c = consent.putObject(purpose);
            c.put("g", granted);
            c.put("t", at);
            c.put("sig", signal);
        }
        return changed;
    }

    /** The seqs of this profile's recent events held in the document, ascending. */
    List<Long> seqs() {
        List<Long> out = new ArrayList<>();
        if (doc.get("seqs") instanceof ArrayNode held) {
            held.forEach(s -> out.add(s.asLong()));
        }
        return out;
    }

    /** Adds an event's seq; once the document holds a full chunk, takes them all out and returns them, else null. */
    long[] addSeq(long seq) {
        ArrayNode held = doc.get("seqs") instanceof ArrayNode a ? a : doc.putArray("seqs");
        held.add(seq);
        return held.size() >= EventIndex.CHUNK ? takeSeqs() : null;
    }

    /** Takes every held seq out of the document, ascending. */
    long[] takeSeqs() {
        List<Long> all = seqs();
        doc.remove("seqs");
        long[] out = new long[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** Folds a profile that was merged into this one. */
    void absorb(ProfileDoc other, ProfileRules rules, Function<String, String> sourceName) {
        List<Long> seqs = seqs();
        seqs.addAll(other.seqs());
        if (!seqs.isEmpty()) {
            seqs.sort(null);
            ArrayNode held = doc.putArray("seqs");
            seqs.forEach(held::add);
        }
        if (other.doc.has("firstSeen")) {
            seen(other.doc.get("firstSeen").asLong(), other.doc.get("lastSeen").asLong());
        }
        doc.put("events", doc.path("events").asLong() + other.doc.path("events").asLong());
        other.array("channels").forEach(c -> addOnce(array("channels"), c.asText()));
        other.array("sources").forEach(s -> addOnce(array("sources"), s.asText()));
        ObjectNode traits = traits();
        for (var e : other.traits().properties()) {
            JsonNode t = e.getValue();
            offer(
                    traits,
                    e.getKey(),
                    t.get("v"),
                    t.path("t").asLong(),
                    t.path("s").asText(),
                    rules,
                    sourceName);
        }
        other.consentState()
                .properties()
                .forEach(e -> choose(
                        e.getKey(),
                        e.getValue().path("g").asBoolean(),
                        e.getValue().path("t").asLong(),
                        e.getValue().path("sig").asText()));
        ObjectNode computed = (ObjectNode) doc.get("computed");
        for (ComputedTrait trait : rules.computedTraits()) {
            if (other.doc.path("computed").get(trait.name()) instanceof ObjectNode theirs) {
                ObjectNode mine = computed.has(trait.name())
                        ? (ObjectNode) computed.get(trait.name())
                        : computed.putObject(trait.name());
                trait.merge(mine, theirs);
            }
        }
    }

    ObjectNode traits() {
        return (ObjectNode) doc.get("traits");
    }

    ArrayNode array(String name) {
        return (ArrayNode) doc.get(name);
    }

    long firstSeen() {
        return doc.path("firstSeen").asLong();
    }

    long lastSeen() {
        return doc.path("lastSeen").asLong();
    }

    long events() {
        return doc.path("events").asLong();
    }

    ObjectNode computedState(String name) {
        return doc.path("computed").get(name) instanceof ObjectNode s ? s : JSON.objectNode();
    }

    /** A trait value wins over the held one from a stronger source, or from an equal source when it is as late or later. */
    private static boolean offer(
            ObjectNode traits,
            String name,
            JsonNode value,
            long at,
            String sourceId,
            ProfileRules rules,
            Function<String, String> sourceName) {
        JsonNode held = traits.get(name);
        if (held != null) {
            int mine = rules.rank(name, sourceName.apply(held.path("s").asText()));
            int theirs = rules.rank(name, sourceName.apply(sourceId));
            if (theirs > mine || (theirs == mine && at < held.path("t").asLong())) {
                return false;
            }
        }
        JsonNode v = value == null ? JSON.nullNode() : value;
        boolean changed = held == null || !v.equals(held.get("v"));
        ObjectNode t = traits.putObject(name);
        t.set("v", v);
        t.put("t", at);
        t.put("s", sourceId);
        return changed;
    }

    private void seen(long first, long last) {
        if (!doc.has("firstSeen") || first < doc.get("firstSeen").asLong()) {
            doc.put("firstSeen", first);
        }
        if (!doc.has("lastSeen") || last > doc.get("lastSeen").asLong()) {
            doc.put("lastSeen", last);
        }
    }

    /**
     * The channel an event came through: {@code context.channel} when the SDK set it, else read off
     * the call: page is web, screen or a device id is mobile, anything else server.
     */
    static String channel(JsonNode event) {
        JsonNode channel = event.path("context").get("channel");
        if (channel != null && channel.isTextual() && !channel.asText().isBlank()) {
            return channel.asText();
        }
        String type = event.path("type").asText();
        if (type.equals("page")) {
            return "web";
        }
        if (type.equals("screen") || event.path("context").path("device").has("id")) {
            return "mobile";
        }
        return "server";
    }

    /** Adds the value unless the array holds it; true when it was added. */
    private static boolean addOnce(ArrayNode array, String value) {
        for (JsonNode v : array) {
            if (v.asText().equals(value)) {
                return false;
            }
        }
        array.add(value);
        return true;
    }
}
