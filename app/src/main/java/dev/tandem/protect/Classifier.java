package dev.tandem.protect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gives every field path a class: an explicit path or a reviewed class first, then key-name
 * matchers, then (for fields nothing declares) matchers on the value. Inside a personal or
 * restricted object every field is at least as risky. Thread-safe; the collector's request
 * threads and the policy gate share one.
 *
 * <p>Paths are remembered for the catalog up to {@link #MAX_PATHS}; beyond that (events with keys
 * made of ids, say) fields are still classified, only not listed.
 */
public final class Classifier {
    static final int MAX_PATHS = 10_000;
    private static final String[] ROOTS = {"traits", "properties", "context"};

    private final Classification rules;
    private final FieldNode root = new FieldNode("", "", null, null, false);
    private final AtomicInteger paths = new AtomicInteger();
    private volatile Map<String, FieldClass> reviewed = Map.of();
    /**
     * Fields asked about but not catalogued ({@link #peek}), by path, so that a flow asked many times
     * (a dry run's million messages) runs the key matchers once a field, not once a message; bounded,
     * and replaced when stewards review classes.
     */
    private volatile Map<String, FieldNode> peeked = new java.util.concurrent.ConcurrentHashMap<>();

    public Classifier(Classification rules) {
        this.rules = rules;
        for (String name : ROOTS) {
            root.add(name, new FieldNode(name, name, null, null, false));
        }
    }

    public Classification rules() {
        return rules;
    }

    /** The node of a top-level object of an event ({@code traits}, {@code properties}, {@code context}), or null for others. */
    public FieldNode top(String name) {
        return root.existing(name);
    }

    /** The child of {@code parent} for a key, made and classified the first time it is seen. */
    public FieldNode child(FieldNode parent, String key) {
        FieldNode node = parent.existing(key);
        if (node != null) {
            return node;
        }
        boolean list = key.equals("[]");
        // Escaped: a key with NUL or a lone surrogate (refused at collection, but screened first) must not
        // reach the catalog or the removal log as text PostgreSQL cannot store.
        String path = list ? parent.path + "[]" : parent.path + "." + dev.tandem.collect.EventShape.escaped(key);
        boolean keep = paths.get() < MAX_PATHS;
        node = declare(path, list ? parent.name() : Classification.keyName(key), list, parent, keep);
        if (keep) {
            synchronized (parent) {
                FieldNode raced = parent.existing(key);
                if (raced != null) {
                    return raced;
                }
                parent.add(key, node);
                paths.incrementAndGet();
            }
        }
        return node;
    }

    /**
     * The child of {@code parent} for a key, classified as {@link #child} classifies it, but a new
     * one is not remembered: asking what the policy would do to a field a caller named (a preview's
     * {@code traits.whatever}) must not put made-up paths in the field catalog.
     */
    public FieldNode peek(FieldNode parent, String key) {
        FieldNode node = parent.existing(key);
        if (node != null) {
            return node;
        }
        boolean list = key.equals("[]");
        String path = list ? parent.path + "[]" : parent.path + "." + key;
        Map<String, FieldNode> memo = peeked; // read before the review it was made under
        node = memo.get(path);
        if (node != null) {
            return node;
        }
        node = declare(path, list ? parent.name() : Classification.keyName(key), list, parent, false);
        if (memo.size() >= MAX_PATHS) {
            memo.clear(); // many one-off paths (keys made of ids): start over rather than grow without bound
        }
        memo.put(path, node);
        return node;
    }

    /**
     * The class of a field named by its path ({@code traits.email}, {@code context.ip}), as collection
     * would give a value there; nothing is catalogued. GENERAL for a path outside the event's objects.
     */
    public FieldClass classOf(String path) {
        String[] keys = path.split("\\.");
        FieldNode node = top(keys[0]);
        if (node == null) {
            return FieldClass.GENERAL;
        }
        FieldClass highest = node.fieldClass(null);
        for (int i = 1; i < keys.length && !keys[i].isEmpty(); i++) {
            node = peek(node, keys[i]);
            highest = highest.max(node.fieldClass(null));
        }
        return highest;
    }

    /** The highest class the value matchers give a text (an email address is personal); GENERAL when none does. */
    public FieldClass classOfValue(String text) {
        return valueClass(text).fieldClass();
    }

    /** The node for the items of a list field. */
    public FieldNode items(FieldNode list) {
        return child(list, "[]");
    }

    private FieldNode declare(String path, String keyName, boolean items, FieldNode parent, boolean catalogued) {
        FieldClass inherited =
                parent.declared == null || parent.declared == FieldClass.GENERAL ? null : parent.declared;
        FieldClass own = reviewed.get(path);
        String by = own == null ? null : "reviewed by a steward";
        if (rules.paths().containsKey(path)) {
            own = rules.paths().get(path);
            by = "declared in tandem.yaml";
        }
        if (own == null && !items) {
            for (Matcher m : rules.keys()) {
                if (m == Classification.PERSON_NAME
                        && !path.startsWith("traits.")
                        && !path.startsWith("context.traits.")) {
                    continue;
                }
                if (m.matches(keyName)) {
                    own = m.fieldClass();
                    by = "key name: " + m.description();
                    break;
                }
            }
        }
        if (inherited != null && (own == null || inherited.ordinal() > own.ordinal())) {
            own = inherited;
            by = "inside " + parent.path + " (" + parent.declaredBy + ")";
        }
        return new FieldNode(path, keyName, own, by, catalogued);
    }

    /** The highest class a value matcher gives the text, and which matcher; GENERAL with null when none. */
    ValueMatch valueClass(String text) {
        if (text.length() >= 13 && Luhn.containsCard(text)) {
            return new ValueMatch(FieldClass.RESTRICTED, "value: a payment card number (Luhn check)");
        }
        for (Matcher m : rules.values()) {
            if (m.matches(text)) {
                return new ValueMatch(m.fieldClass(), "value: " + m.description());
            }
        }
        return ValueMatch.NONE;
    }

    record ValueMatch(FieldClass fieldClass, String why) {
        static final ValueMatch NONE = new ValueMatch(FieldClass.GENERAL, null);
    }

    /** Classes set by stewards through the API; they rank below tandem.yaml and above matchers. */
    void review(Map<String, FieldClass> classes) {
        this.reviewed = Map.copyOf(classes);
        this.peeked = new java.util.concurrent.ConcurrentHashMap<>();
        visit(root, node -> {
            FieldClass c = classes.get(node.path);
            if (c != null && !rules.paths().containsKey(node.path)) {
                node.declared = c;
                node.declaredBy = "reviewed by a steward";
                node.changed = true;
            }
        });
    }

    /** Every catalogued node, for the catalog's flush. */
    List<FieldNode> catalogued() {
        List<FieldNode> out = new ArrayList<>();
        visit(root, n -> {
            if (n.catalogued) {
                out.add(n);
            }
        });
        return out;
    }

    private static void visit(FieldNode node, Consumer<FieldNode> action) {
        action.accept(node);
        for (FieldNode c : node.children()) {
            visit(c, action);
        }
    }
}
