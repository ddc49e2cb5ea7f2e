package dev.tandem.protect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import dev.tandem.config.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Encrypts the personal traits of profile documents with the profile's own key before they are
 * stored, and decrypts them when they are read. A stored trait {@code {"v": value, "t", "s"}}
 * becomes {@code {"x": ciphertext, "t", "s"}}; the rest of the document (counts, computed
 * traits, consent) stays readable. When a profile's key was destroyed its personal traits read
 * as absent. The profile id and trait name are the associated data, so a ciphertext cannot be
 * moved to another profile or trait.
 */
public final class TraitSealer {
    /** Stores traits as they are: for benchmarks that measure what encryption costs. */
    public static final TraitSealer NONE = new TraitSealer(null, null);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = Json.mapper();

    private final KeyStore keys;
    private final Classifier classifier;

    public TraitSealer(KeyStore keys, Classifier classifier) {
        this.keys = keys;
        this.classifier = classifier;
    }

    /** The key-store id of a profile's key. */
    public static String keyId(long profile) {
        return "p:" + profile;
    }

    /**
     * For each document, the one to store: the same tree with personal traits encrypted (the given
     * documents are not changed). Creates the keys of profiles that have none yet.
     */
    public Map<Long, ObjectNode> seal(Map<Long, ObjectNode> docs) {
        if (keys == null) {
            return docs;
        }
        // Why: only a personal trait without its ciphertext (new or changed) needs the key; most
        // writes change counts and computed traits, so most batches fetch no key at all.
        List<String> ids = new ArrayList<>();
        docs.forEach((id, doc) -> {
            if (needsKey(doc)) {
                ids.add(keyId(id));
            }
        });
        Map<String, Aead> byId = ids.isEmpty() ? Map.of() : keys.keysFor(ids);
        Map<Long, ObjectNode> out = new java.util.HashMap<>(docs.size() * 2);
        docs.forEach((id, doc) -> out.put(id, sealed(id, doc, byId.get(keyId(id)))));
        return out;
    }

    private boolean needsKey(ObjectNode doc) {
        if (doc.get("traits") instanceof ObjectNode traits) {
            FieldNode parent = classifier.top("traits");
            for (var e : traits.properties()) {
                JsonNode v = e.getValue().get("v");
                if (!e.getValue().has("x")
                        && v != null
                        && !v.isNull()
                        && classifier.child(parent, e.getKey()).fieldClass(v) != FieldClass.GENERAL) {
                    return true;
                }
            }
        }
        return false;
    }

    private ObjectNode sealed(long profile, ObjectNode doc, Aead key) {
        if (!(doc.get("traits") instanceof ObjectNode traits) || traits.isEmpty()) {
            return doc;
        }
        ObjectNode sealedTraits = JSON.objectNode();
        boolean any = false;
        FieldNode parent = classifier.top("traits");
        for (var e : traits.properties()) {
            JsonNode v = e.getValue().get("v");
            if (v == null || v.isNull() || classifier.child(parent, e.getKey()).fieldClass(v) == FieldClass.GENERAL) {
                sealedTraits.set(e.getKey(), e.getValue());
                continue;
            }
            any = true;
            // Why: a document is rewritten on every event but its personal traits rarely change; the
            // ciphertext made (or read) last time is kept beside the value in memory and reused until
            // the trait is replaced (a new value, a merge), which drops it.
            ObjectNode held = (ObjectNode) e.getValue();
            String x = held.has("x") ? held.get("x").asText() : encrypt(key, v, profile, e.getKey());
            held.put("x", x);
            ObjectNode stored = sealedTraits.putObject(e.getKey());
            stored.put("x", x);
            stored.set("t", held.get("t"));
            stored.set("s", held.get("s"));
        }
        if (!any) {
            return doc;
        }
        ObjectNode copy = JSON.objectNode();
        copy.setAll(doc);
        copy.set("traits", sealedTraits);
        return copy;
    }

    /**
     * Decrypts in place the personal traits {@code wanted} says are needed (a scan for an audience
     * that reads no personal trait loads no key at all). The other encrypted ones, and those of
     * profiles whose key was destroyed, are removed; with {@code keepSealed} the unwanted ones stay
     * with their ciphertext only (no {@code "v"}), so a document loaded for an update is written back whole.
     */
    public void open(
            Map<Long, ObjectNode> docs,
            boolean remember,
            java.util.function.Predicate<String> wanted,
            boolean keepSealed) {
        if (keys == null) {
            return;
        }
        List<String> ids = new ArrayList<>();
        docs.forEach((id, doc) -> {
            if (hasSealed(doc, wanted)) {
                ids.add(keyId(id));
            }
        });
        Map<String, Aead> byId = ids.isEmpty() ? Map.of() : keys.existing(ids, remember);
        docs.forEach((id, doc) -> {
            if (doc.get("traits") instanceof ObjectNode traits) {
                Aead key = byId.get(keyId(id));
                List<String> gone = new ArrayList<>(0);
                for (var e : traits.properties()) {
                    if (e.getValue() instanceof ObjectNode t && t.has("x") && !t.has("v")) {
                        if (keepSealed && !wanted.test(e.getKey())) {
                            continue;
                        }
                        if (key == null || !wanted.test(e.getKey())) {
                            gone.add(e.getKey());
                        } else {
                            t.set("v", decrypt(key, t.get("x").asText(), id, e.getKey()));
                        }
                    }
                }
                traits.remove(gone);
            }
        });
    }

    private static boolean hasSealed(ObjectNode doc, java.util.function.Predicate<String> wanted) {
        if (doc.get("traits") instanceof ObjectNode traits) {
            for (var e : traits.properties()) {
                if (e.getValue().has("x") && !e.getValue().has("v") && wanted.test(e.getKey())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String encrypt(Aead key, JsonNode value, long profile, String trait) {
        try {
            byte[] plain = MAPPER.writeValueAsBytes(value);
            return Base64.getEncoder().withoutPadding().encodeToString(key.encrypt(plain, context(profile, trait)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Encrypting a trait failed: " + e.getMessage(), e);
        }
    }

    private static JsonNode decrypt(Aead key, String sealed, long profile, String trait) {
        try {
            return MAPPER.readTree(key.decrypt(Base64.getDecoder().decode(sealed), context(profile, trait)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "Trait '" + trait + "' of profile " + profile + " does not decrypt with its key: " + e.getMessage(),
                    e);
        }
    }

    private static byte[] context(long profile, String trait) {
        return (profile + "/" + trait).getBytes(StandardCharsets.UTF_8);
    }
}
