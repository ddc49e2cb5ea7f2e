package dev.tandem.protect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.collect.EventScreen;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The collector's screen: walks {@code traits}, {@code properties} and {@code context} of each
 * event, classifies every field, removes restricted ones (by path, key name or value) and
 * records each removal as source, path and reason, never the value. Events of suppressed
 * subjects are not kept at all. Top-level fields (userId, anonymousId, event, timestamps) are
 * identities and structure; they are not screened.
 */
public final class FieldScreen implements EventScreen {
    private static final String[] OBJECTS = {"traits", "properties", "context"};

    private final Classifier classifier;
    private final RemovalLog removals;
    private final Predicate<ObjectNode> suppressed;
    private final EventSealer sealer;

    public FieldScreen(
            Classifier classifier, FieldCatalog catalog, Predicate<ObjectNode> suppressed, EventSealer sealer) {
        this.classifier = classifier;
        this.removals = catalog.removals();
        this.suppressed = suppressed;
        this.sealer = sealer;
    }

    /** Null {@code sealer} (benchmarks of the screen alone) stores personal values as they are. */
    @Override
    public void seal(ObjectNode event) {
        if (sealer != null) {
            sealer.seal(event);
        }
    }

    @Override
    public boolean keep(String sourceId, ObjectNode event) {
        if (suppressed.test(event)) {
            return false;
        }
        for (String name : OBJECTS) {
            if (event.get(name) instanceof ObjectNode object) {
                screen(sourceId, classifier.top(name), object);
            }
        }
        return true;
    }

    @Override
    public String scrub(String sourceId, String text) {
        if (text != null
                && classifier.valueClass(text).fieldClass() == FieldClass.RESTRICTED
                && classifier.rules().removeRestricted()) {
            removals.removed(sourceId, "(not an object)", "the whole value: it holds restricted data");
            return "\"[removed: restricted data]\"";
        }
        return text;
    }

    private void screen(String sourceId, FieldNode parent, ObjectNode object) {
        List<String> remove = null;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            FieldNode node = classifier.child(parent, field.getKey());
            node.seen.increment();
            String why = restricted(sourceId, node, field.getValue());
            if (why != null) {
                removals.removed(sourceId, node.path, why);
                if (remove == null) {
                    remove = new ArrayList<>(2);
                }
                remove.add(field.getKey());
            }
        }
        if (remove != null && classifier.rules().removeRestricted()) {
            object.remove(remove);
        }
    }

    /** Why the value must go, or null; screens the inside of objects and lists on the way. */
    private String restricted(String sourceId, FieldNode node, JsonNode value) {
        if (node.declared == FieldClass.RESTRICTED) {
            return node.declaredBy;
        }
        if (value instanceof ObjectNode object) {
            screen(sourceId, node, object);
            return null;
        }
        if (value instanceof ArrayNode list) {
            FieldNode items = classifier.items(node);
            for (int i = list.size() - 1; i >= 0; i--) {
                String why = restricted(sourceId, items, list.get(i));
                if (why != null) {
                    removals.removed(sourceId, items.path, why);
                    if (classifier.rules().removeRestricted()) {
                        list.remove(i);
                    }
                }
            }
            return null;
        }
        if (value.isTextual() || (value.isIntegralNumber() && value.asText().length() >= 13)) {
            Classifier.ValueMatch match = classifier.valueClass(value.asText());
            if (match.fieldClass() == FieldClass.RESTRICTED) {
                node.learn(FieldClass.RESTRICTED);
                return match.why();
            }
            node.learn(match.fieldClass());
        }
        return null;
    }
}
