package dev.tandem.protect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One field path as Tandem has seen it, in a tree that mirrors events ({@code properties} then
 * {@code card_number}; {@code []} for the items of a list). Walking an event follows child links
 * by key, so classification costs one map lookup per field rather than building path strings.
 */
public final class FieldNode {
    final String path;
    private final String name;
    /** The class a path, a reviewed class or a key-name matcher gives; null when only values can say. */
    volatile FieldClass declared;
    /** Why {@link #declared} is what it is, in words; "no rule matched" when null. */
    volatile String declaredBy;
    /** The highest class a value matcher found in this field so far. */
    volatile FieldClass learned = FieldClass.GENERAL;

    final boolean catalogued;
    final LongAdder seen = new LongAdder();
    volatile long flushedSeen;
    volatile boolean changed = true;
    private final Map<String, FieldNode> children = new ConcurrentHashMap<>();

    FieldNode(String path, String name, FieldClass declared, String declaredBy, boolean catalogued) {
        this.path = path;
        this.name = name;
        this.declared = declared;
        this.declaredBy = declaredBy;
        this.catalogued = catalogued;
    }

    public String path() {
        return path;
    }

    /** The last key of the path as key-name matchers see it: lower case, without _ - . and spaces. */
    public String name() {
        return name;
    }

    /**
     * The class of a value here: the declared class, else the highest that values taught at
     * collection; an undeclared text that looks like an email address is personal anyway.
     */
    public FieldClass fieldClass(com.fasterxml.jackson.databind.JsonNode value) {
        FieldClass d = declared;
        if (d != null) {
            return d;
        }
        FieldClass l = learned;
        if (l == FieldClass.GENERAL
                && value != null
                && value.isTextual()
                && value.asText().indexOf('@') > 0
                && Classification.EMAIL.matches(value.asText())) {
            return FieldClass.PERSONAL;
        }
        return l;
    }

    FieldNode existing(String key) {
        return children.get(key);
    }

    void add(String key, FieldNode child) {
        children.put(key, child);
    }

    Iterable<FieldNode> children() {
        return children.values();
    }

    /** The class of a value of this field: the declared class, else what values taught, at least {@code fromValue}. */
    FieldClass classOf(FieldClass fromValue) {
        FieldClass d = declared;
        return d != null ? d : learned.max(fromValue);
    }

    void learn(FieldClass fromValue) {
        if (fromValue.ordinal() > learned.ordinal()) {
            learned = fromValue;
            changed = true;
        }
    }
}
