package dev.tandem.protect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.crypto.tink.Aead;
import dev.tandem.collect.EventLog;
import dev.tandem.collect.EventSealing;
import dev.tandem.collect.StoredEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Encrypts the personal values of each accepted event before it is stored, with a key of the
 * event's subject (its user id, else its anonymous id), and decrypts them for readers. A value
 * becomes the text {@code tdk:e1:<key id>:<ciphertext>} (the whole value, object or not, as JSON),
 * so the event keeps its shape. Erasing a subject destroys its keys: copies of its events, backups
 * included, keep only ciphertext. The key id is the associated data, binding each value to its key.
 */
public final class EventSealer implements EventSealing {
    static final String MARKER = "tdk:e1:";
    private static final String[] OBJECTS = {"traits", "properties", "context"};
    private static final ObjectMapper MAPPER = dev.tandem.config.Json.mapper();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventSealer.class);

    private final KeyStore keys;
    private final Classifier classifier;

    private final boolean seals;

    /** @param seals whether new events are sealed (else it only opens those sealed before, and keeps no pool of keys) */
    public EventSealer(KeyStore keys, Classifier classifier, boolean seals) {
        this.keys = keys;
        this.classifier = classifier;
        this.seals = seals;
    }

    /** The subject whose key seals an event: {@code user_id} token, else {@code anonymous_id} token; null without either. */
    String subject(ObjectNode event) {
        for (String[] f : new String[][] {{"userId", "user_id"}, {"anonymousId", "anonymous_id"}}) {
            JsonNode id = event.get(f[0]);
            if (id != null && (id.isTextual() || id.isNumber()) && !id.asText().isBlank()) {
                return keys.tokenizer().token(f[1], id.asText().trim());
            }
        }
        return null;
    }

    @Override
    public void storeKeys() {
        keys.events().storePending();
    }

    /** Encrypts the personal values of an accepted event in place. */
    void seal(ObjectNode event) {
        String subject = subject(event);
        if (subject == null) {
            return;
        }
        EventKeys.EventKey key = null;
        for (String name : OBJECTS) {
            if (event.get(name) instanceof ObjectNode object) {
                key = seal(classifier.top(name), object, subject, key);
            }
        }
    }

    private EventKeys.EventKey seal(FieldNode parent, ObjectNode object, String subject, EventKeys.EventKey key) {
        for (var e : object.properties()) {
            FieldNode node = classifier.child(parent, e.getKey());
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (node.fieldClass(v) == FieldClass.PERSONAL) {
                key = key != null ? key : keys.events().forSubject(subject);
                e.setValue(TextNode.valueOf(encrypt(key, v)));
            } else if (v instanceof ObjectNode inner) {
                key = seal(node, inner, subject, key);
            } else if (v instanceof ArrayNode list) {
                FieldNode items = classifier.items(node);
                for (int i = 0; i < list.size(); i++) {
                    if (!list.get(i).isNull() && items.fieldClass(list.get(i)) == FieldClass.PERSONAL) {
                        key = key != null ? key : keys.events().forSubject(subject);
                        list.set(i, TextNode.valueOf(encrypt(key, list.get(i))));
                    }
                }
            }
        }
        return key;
    }

    /**
     * Links the pooled keys that events stored after the last recorded link carry to their
     * subjects (after a crash, the links of the last moments may not have been stored), destroys the
     * pooled keys no event carries, and starts the pool (see {@link EventKeys}).
     */
    @Override
    public void recover(EventLog inbox) {
        EventKeys events = keys.events();
        try {
            java.util.Set<String> unlinked = events.unlinked();
            long after = events.linkedThrough();
            long latest = inbox.latestSeq();
            long scanned = 0;
            int linked = 0;
            while (!unlinked.isEmpty()) {
                List<StoredEvent> page = inbox.after(after, 2_000);
                if (page.isEmpty()) {
                    break;
                }
                for (StoredEvent e : page) {
                    after = Math.max(after, e.seq());
                    linked += relink(e.payload(), unlinked, events);
                }
                scanned += page.size();
            }
            if (scanned > 0) {
                log.atInfo()
                        .addKeyValue("events", scanned)
                        .addKeyValue("keys", linked)
                        .log("linked the event keys of the last events before the stop to their subjects");
            }
            events.recovered(Math.max(latest, after));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Reading the event key store failed: " + e.getMessage(), e);
        }
        if (seals) {
            events.startPool(inbox::latestSeq);
        }
    }

    /** Links each pooled key of {@code unlinked} that the stored event carries to the event's subject. */
    private int relink(String payload, java.util.Set<String> unlinked, EventKeys events) {
        int linked = 0;
        String subject = null;
        for (int at = payload.indexOf(MARKER); at >= 0; at = payload.indexOf(MARKER, at + MARKER.length())) {
            int end = payload.indexOf(':', at + MARKER.length());
            if (end < 0) {
                break;
            }
            String id = payload.substring(at + MARKER.length(), end);
            if (!unlinked.remove(id)) {
                continue;
            }
            if (subject == null) {
                try {
                    subject = subject((ObjectNode) MAPPER.readTree(payload));
                } catch (IOException | ClassCastException e) {
                    throw new IllegalStateException("A stored event is not a JSON object: " + e.getMessage(), e);
                }
            }
            if (subject != null) {
                events.relink(id, subject);
                linked++;
            }
        }
        return linked;
    }

    @Override
    public boolean sealed(String payload) {
        return payload.contains(MARKER);
    }

    @Override
    public void open(ObjectNode event) {
        for (String name : OBJECTS) {
            if (event.get(name) instanceof ObjectNode object) {
                openIn(object);
            }
        }
    }

    private void openIn(JsonNode container) {
        if (container instanceof ObjectNode object) {
            List<String> gone = new ArrayList<>(0);
            for (var e : object.properties()) {
                JsonNode v = e.getValue();
                if (v.isTextual() && v.asText().startsWith(MARKER)) {
                    JsonNode plain = decrypt(v.asText());
                    if (plain == null) {
                        gone.add(e.getKey());
                    } else {
                        e.setValue(plain);
                    }
                } else if (v.isContainerNode()) {
                    openIn(v);
                }
            }
            object.remove(gone);
        } else if (container instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                JsonNode v = list.get(i);
                if (v.isTextual() && v.asText().startsWith(MARKER)) {
                    JsonNode plain = decrypt(v.asText());
                    if (plain == null) {
                        list.remove(i);
                    } else {
                        list.set(i, plain);
                    }
                } else if (v.isContainerNode()) {
                    openIn(v);
                }
            }
        }
    }

    private static String encrypt(EventKeys.EventKey key, JsonNode value) {
        try {
            byte[] sealed =
                    key.aead().encrypt(MAPPER.writeValueAsBytes(value), key.id().getBytes(StandardCharsets.UTF_8));
            return MARKER + key.id() + ":"
                    + Base64.getEncoder().withoutPadding().encodeToString(sealed);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Encrypting an event value failed: " + e.getMessage(), e);
        }
    }

    /** The value, or null when its key no longer exists (the subject was erased). */
    private JsonNode decrypt(String text) {
        int colon = text.indexOf(':', MARKER.length());
        if (colon < 0) {
            return TextNode.valueOf(text);
        }
        String id = text.substring(MARKER.length(), colon);
        Aead key = keys.events().byId(id);
        if (key == null) {
            return null;
        }
        try {
            return MAPPER.readTree(key.decrypt(
                    Base64.getDecoder().decode(text.substring(colon + 1)), id.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "An event value does not decrypt with its key " + id + ": " + e.getMessage(), e);
        }
    }
}
