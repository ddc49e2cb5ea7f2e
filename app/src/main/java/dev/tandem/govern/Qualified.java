package dev.tandem.govern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The conditions a qualified approval attached to a flow's object (IT's "yes, with conditions"):
 * fields to hash, drop or mask wherever they appear in the payload ({@code traits},
 * {@code properties}, {@code context}, at any depth), named as the gate names fields (without case
 * and {@code _ - .}), and an instant after which nothing flows at all. Applied after the policy's
 * own rules, so the stronger of the two holds; each decision names the conditions among its reasons.
 */
public record Qualified(List<String> hash, List<String> drop, List<String> mask, long expiresAt) {
    public static final Qualified NONE = new Qualified(List.of(), List.of(), List.of(), Long.MAX_VALUE);
    private static final String[] ROOTS = {"traits", "properties", "context"};
    static final String RULE = "approved-with-conditions";

    public Qualified {
        hash = List.copyOf(hash);
        drop = List.copyOf(drop);
        mask = List.copyOf(mask);
    }

    public boolean isNone() {
        return hash.isEmpty() && drop.isEmpty() && mask.isEmpty() && expiresAt == Long.MAX_VALUE;
    }

    /** The gate's decision with these conditions applied to what may leave, at {@code now} (epoch ms). */
    public Decision apply(Decision decision, long now) {
        if (isNone() || decision instanceof Decision.Deny) {
            return decision;
        }
        if (now >= expiresAt) {
            List<Decision.Reason> reasons = new ArrayList<>(decision.reasons());
            reasons.add(new Decision.Reason(
                    RULE,
                    Effect.DENY,
                    "The approval of this destination expired at " + java.time.Instant.ofEpochMilli(expiresAt)
                            + "; a new change must be approved for data to flow again.",
                    List.of()));
            return new Decision.Deny(List.copyOf(reasons));
        }
        Set<String> drops = names(drop);
        Set<String> hashes = names(hash);
        Set<String> masks = names(mask);
        ObjectNode payload = decision.payload();
        List<String> changed = new ArrayList<>();
        for (String root : ROOTS) {
            if (payload.get(root) instanceof ObjectNode object) {
                walk(root, object, drops, hashes, masks, changed);
            }
        }
        if (changed.isEmpty()) {
            return decision;
        }
        List<Decision.Reason> reasons =
                new ArrayList<>(decision instanceof Decision.Allow ? List.of() : decision.reasons());
        reasons.add(new Decision.Reason(
                RULE, Effect.HASH, "Conditions attached when this destination was approved.", List.copyOf(changed)));
        return new Decision.AllowWith(payload, List.copyOf(reasons));
    }

    private static void walk(
            String path,
            ObjectNode object,
            Set<String> drops,
            Set<String> hashes,
            Set<String> masks,
            List<String> changed) {
        for (String field : new ArrayList<>(iterable(object))) {
            JsonNode value = object.get(field);
            String name = name(field);
            String at = path + "." + field;
            Effect effect = drops.contains(name)
                    ? Effect.DROP
                    : hashes.contains(name) ? Effect.HASH : masks.contains(name) ? Effect.MASK : null;
            if (effect != null) {
                JsonNode out = Obligations.apply(effect, null, name, value);
                if (out == null) {
                    object.remove(field);
                } else {
                    object.set(field, out);
                }
                changed.add(at);
            } else if (value instanceof ObjectNode inner) {
                walk(at, inner, drops, hashes, masks, changed);
            } else if (value instanceof ArrayNode list) {
                for (JsonNode item : list) {
                    if (item instanceof ObjectNode inner) {
                        walk(at, inner, drops, hashes, masks, changed);
                    }
                }
            }
        }
    }

    private static List<String> iterable(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> names(List<String> fields) {
        return fields.stream().map(Qualified::name).collect(Collectors.toSet());
    }

    /** A field's name as the gate compares names: without case and {@code _ - .}. */
    static String name(String field) {
        return field.toLowerCase(Locale.ROOT).replaceAll("[_\\-. ]", "");
    }
}
