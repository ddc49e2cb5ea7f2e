package dev.tandem.govern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.expr.Expression;
import dev.tandem.protect.Classifier;
import dev.tandem.protect.FieldClass;
import dev.tandem.protect.FieldNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy gate: decides one flow of data out of Tandem. Deny rules whose {@code when} holds
 * deny (a rule that cannot be evaluated for this flow denies too: the gate fails closed). Else
 * each field of the payload ({@code traits}, {@code properties}, {@code context}) gets the
 * strongest obligation of the rules that select it, and the payload is copied with the
 * obligations applied. Thread-safe.
 *
 * <p>Speed: which obligation rules select a field depends only on the flow, the path and the
 * class, never on the subject, so that answer is cached per flow; the rules' {@code when} read only
 * the flow and the subject's facts, so their outcomes are cached by those.
 */
public final class Gate {
    private static final String[] ROOTS = {"traits", "properties", "context"};
    private static final int CACHE_LIMIT = 100_000;

    private record FieldKey(String path, FieldClass fieldClass) {}

    /**
     * One decision's walk over a payload: the flow, its cached selections, the active obligation
     * rules, the fields each changed, and whether new field paths are remembered for the catalog
     * (not when only asking).
     */
    private record Pass(
            Flow flow,
            Map<FieldKey, Long> cache,
            long active,
            Map<PolicyRule, List<String>> changed,
            boolean remember) {}

    private final Policy policy;
    private final Classifier classifier;
    private final DecisionSink log;
    private final List<PolicyRule> obligations;
    /** Each obligation rule's bit in the masks below. */
    private final Map<PolicyRule, Integer> bit = new java.util.IdentityHashMap<>();

    private final Map<Flow, Map<FieldKey, Long>> selections = new ConcurrentHashMap<>();

    public Gate(Policy policy, Classifier classifier, DecisionSink log) {
        this.policy = policy;
        this.classifier = classifier;
        this.log = log;
        this.obligations =
                policy.rules().stream().filter(r -> r.effect().isObligation()).toList();
        for (int i = 0; i < obligations.size(); i++) {
            bit.put(obligations.get(i), i);
        }
        if (obligations.size() > 63) {
            throw new IllegalArgumentException(
                    "A policy may have at most 63 obligation rules; it has " + obligations.size() + ".");
        }
    }

    public Policy policy() {
        return policy;
    }

    /** What the rules' {@code when} decided for a flow and a subject's facts: deny and allow reasons, and the active obligations. */
    private record Applying(List<Decision.Reason> denies, List<Decision.Reason> allows, long active) {}

    /** What a rule's {@code when} can read: the flow, and the subject's facts (never the payload). */
    private record WhenKey(Flow flow, boolean known, Map<String, Boolean> consent, boolean gpc) {}

    /**
     * The rules' outcomes by flow and subject facts. Why: the {@code when} conditions read only
     * {@code flow} and {@code subject} (known, consent, gpc), which take few distinct values
     * across millions of profiles, and evaluating them (CEL macros such as {@code exists}) was a
     * sixth of a journey dry run's time. Cleared when it reaches {@link #CACHE_LIMIT}.
     */
    private final Map<WhenKey, Applying> applying = new ConcurrentHashMap<>();

    private Applying applying(Flow flow, Subject subject) {
        // the subject's consent is a read-only copy (Subject makes it), so it can be part of a key
        WhenKey key = new WhenKey(flow, subject.profileId() != 0, subject.consent(), subject.gpc());
        Applying known = applying.get(key);
        if (known != null) {
            return known;
        }
        Map<String, Object> facts = new HashMap<>(4);
        facts.put("flow", flow.facts());
        facts.put("subject", subject.facts());
        List<Decision.Reason> denies = new ArrayList<>(1);
        List<Decision.Reason> allows = new ArrayList<>(1);
        long active = 0;
        for (PolicyRule rule : policy.rules()) {
            Expression.Outcome when =
                    rule.when() == null ? Expression.Outcome.TRUE : rule.when().evaluate(facts);
            boolean applies = when.matched() || when.failed();
            if (!applies) {
                continue;
            }
            switch (rule.effect()) {
                case DENY ->
                    denies.add(new Decision.Reason(
                            rule.id(),
                            Effect.DENY,
                            when.failed()
                                    ? rule.reason() + " (the rule could not be evaluated for this flow: " + when.error()
                                            + ")"
                                    : rule.reason(),
                            List.of()));
                case ALLOW -> {
                    if (!when.failed()) {
                        allows.add(new Decision.Reason(rule.id(), Effect.ALLOW, rule.reason(), List.of()));
                    }
                }
                case DROP, HASH, MASK, TRUNCATE_IP, COARSEN -> active |= 1L << bit.get(rule);
            }
        }
        Applying out = new Applying(List.copyOf(denies), List.copyOf(allows), active);
        if (applying.size() >= CACHE_LIMIT) {
            applying.clear();
        }
        applying.put(key, out);
        return out;
    }

    /** Decides the flow of {@code payload} (not changed; an allow returns a copy) about {@code subject}. */
    public Decision decide(Flow flow, Subject subject, ObjectNode payload) {
        return decide(flow, subject, payload, log, true);
    }

    /** Decides as {@link #decide} does, without logging or cataloguing fields: for asking what a caller could read, not reading it. */
    public Decision ask(Flow flow, Subject subject, ObjectNode payload) {
        return decide(flow, subject, payload, DecisionSink.NONE, false);
    }

    private Decision decide(Flow flow, Subject subject, ObjectNode payload, DecisionSink log, boolean remember) {
        Applying applying = applying(flow, subject);
        List<Decision.Reason> denies = applying.denies();
        List<Decision.Reason> allows = applying.allows();
        long active = applying.active();
        if (!denies.isEmpty()) {
            Decision deny = new Decision.Deny(List.copyOf(denies));
            log.record(flow, subject, deny);
            return deny;
        }
        ObjectNode copy = payload.deepCopy();
        Map<PolicyRule, List<String>> changed = new LinkedHashMap<>();
        if (active != 0) {
            if (selections.size() >= 10_000) {
                selections.clear(); // many one-off flows (policy checks): start over rather than grow without bound
            }
            Pass pass = new Pass(
                    flow, selections.computeIfAbsent(flow, f -> new ConcurrentHashMap<>()), active, changed, remember);
            for (String root : ROOTS) {
                if (copy.get(root) instanceof ObjectNode object) {
                    walk(pass, classifier.top(root), object, null);
                }
            }
        }
        if (changed.isEmpty()) {
            return new Decision.Allow(
                    copy,
                    allows.isEmpty()
                            ? List.of(new Decision.Reason(
                                    "", Effect.ALLOW, "No rule denied this flow or changed its data.", List.of()))
                            : List.copyOf(allows));
        }
        List<Decision.Reason> reasons = new ArrayList<>(allows);
        changed.forEach((rule, fields) ->
                reasons.add(new Decision.Reason(rule.id(), rule.effect(), rule.reason(), List.copyOf(fields))));
        Decision with = new Decision.AllowWith(copy, List.copyOf(reasons));
        log.record(flow, subject, with);
        return with;
    }

    /** Applies obligations inside {@code object}; {@code inherited} is the rule that selected an enclosing object, or null. */
    private void walk(Pass pass, FieldNode parent, ObjectNode object, PolicyRule inherited) {
        List<String> keys = new ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            FieldNode node = pass.remember() ? classifier.child(parent, key) : classifier.peek(parent, key);
            JsonNode value = object.get(key);
            PolicyRule rule = strongest(inherited, select(pass, node, value));
            JsonNode result = visit(pass, node, value, rule);
            if (result == null) {
                object.remove(key);
            } else if (result != value) {
                object.set(key, result);
            }
        }
    }

    private JsonNode visit(Pass pass, FieldNode node, JsonNode value, PolicyRule rule) {
        if (rule != null && (rule.effect() == Effect.DROP || value.isValueNode())) {
            JsonNode result = Obligations.apply(rule.effect(), rule.to(), node.name(), value);
            if (result == null || !result.equals(value)) {
                pass.changed().computeIfAbsent(rule, r -> new ArrayList<>(2)).add(node.path());
            }
            return result;
        }
        if (value instanceof ObjectNode object) {
            walk(pass, node, object, rule);
        } else if (value instanceof ArrayNode list) {
            FieldNode items = pass.remember() ? classifier.items(node) : classifier.peek(node, "[]");
            for (int i = list.size() - 1; i >= 0; i--) {
                JsonNode item = list.get(i);
                JsonNode result = visit(pass, items, item, strongest(rule, select(pass, items, item)));
                if (result == null) {
                    list.remove(i);
                } else if (result != item) {
                    list.set(i, result);
                }
            }
        }
        return value;
    }

    /** The strongest active obligation rule that selects this field, or null. */
    private PolicyRule select(Pass pass, FieldNode node, JsonNode value) {
        FieldClass fieldClass = node.fieldClass(value);
        FieldKey key = new FieldKey(node.path(), fieldClass);
        Long selected = pass.cache().get(key);
        if (selected == null) {
            selected = selecting(pass.flow(), node, fieldClass);
            if (pass.cache().size() < CACHE_LIMIT) {
                pass.cache().put(key, selected);
            }
        }
        long hits = selected & pass.active();
        return hits == 0 ? null : strongestOf(hits);
    }

    private long selecting(Flow flow, FieldNode node, FieldClass fieldClass) {
        Map<String, Object> facts = Map.of(
                "flow",
                flow.facts(),
                "field",
                Map.of("path", node.path(), "name", node.name(), "class", fieldClass.wireName()));
        long bits = 0;
        for (int i = 0; i < obligations.size(); i++) {
            Expression.Outcome o = obligations.get(i).fields().evaluate(facts);
            // a selector that cannot be evaluated selects: the obligation is the safe side
            if (o.matched() || o.failed()) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    private PolicyRule strongestOf(long bits) {
        PolicyRule best = null;
        for (long b = bits; b != 0; b &= b - 1) {
            best = strongest(best, obligations.get(Long.numberOfTrailingZeros(b)));
        }
        return best;
    }

    private static PolicyRule strongest(PolicyRule a, PolicyRule b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.effect().strength() < a.effect().strength() ? b : a;
    }
}
