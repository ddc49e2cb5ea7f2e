package dev.tandem.expr;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables an expression may read, by use. Audience conditions see the profile; decision
 * rules also see the request and the profile's audiences. Audience conditions do not see
 * {@code audiences} (membership would depend on the order audiences are evaluated in) nor
 * {@code now} (membership changes when the profile does, not when the clock ticks).
 */
public enum Vocabulary {
    AUDIENCE,
    DECISION,
    /** A policy rule's {@code when}: the flow of data and the subject it is about. */
    POLICY,
    /** A policy rule's {@code fields}: the flow and one field of the payload. */
    POLICY_FIELD,
    /** A webhook source's mapping: the payload a tool posted, the item of it being mapped, the request's headers and query. */
    WEBHOOK,
    /** A destination's {@code events}: one event as it leaves, by name, type, properties, context and traits. */
    DELIVERY,
    /**
     * A destination's {@code mapping}: the profile's variables (as an audience condition sees them)
     * and the message as Tandem built it, whole as {@code message} and by its {@code event} name,
     * {@code type}, {@code properties} and {@code context}.
     */
    MAPPING,
    /**
     * A {@code changes:} rule of a policy: the change proposed, as {@code change} (kind, key, action,
     * fields touched, the declaration before and after, the author, and the kind's facts).
     */
    CHANGE,
    /**
     * A KPI's {@code events}, {@code value} and {@code by}: one event by name, type, properties,
     * context and traits, and the keys of the audiences its profile is in as the batch left it.
     */
    KPI;

    private static final CelType DYN_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final CelType STRINGS = ListType.create(SimpleType.STRING);

    /** Variable names and their types, in the order the docs list them. */
    public Map<String, CelType> variables() {
        Map<String, CelType> vars = new LinkedHashMap<>();
        if (this == WEBHOOK) {
            vars.put("body", SimpleType.DYN);
            vars.put("item", SimpleType.DYN);
            vars.put("headers", MapType.create(SimpleType.STRING, SimpleType.STRING));
            vars.put("query", MapType.create(SimpleType.STRING, SimpleType.STRING));
            return vars;
        }
        if (this == CHANGE) {
            vars.put("change", DYN_MAP);
            return vars;
        }
        if (this == POLICY || this == POLICY_FIELD) {
            vars.put("flow", DYN_MAP);
            vars.put(this == POLICY ? "subject" : "field", DYN_MAP);
            return vars;
        }
        if (this == DELIVERY || this == KPI) {
            if (this == KPI) {
                vars.put("audiences", STRINGS);
            }
            vars.put("event", SimpleType.STRING);
            vars.put("type", SimpleType.STRING);
            vars.put("properties", DYN_MAP);
            vars.put("context", DYN_MAP);
            vars.put("traits", DYN_MAP);
            return vars;
        }
        vars.put("traits", DYN_MAP);
        vars.put("computed", DYN_MAP);
        vars.put("identifiers", MapType.create(SimpleType.STRING, STRINGS));
        vars.put("channels", STRINGS);
        vars.put("sources", STRINGS);
        vars.put("consent", MapType.create(SimpleType.STRING, SimpleType.BOOL));
        vars.put("event_count", SimpleType.INT);
        vars.put("first_seen", SimpleType.TIMESTAMP);
        vars.put("last_seen", SimpleType.TIMESTAMP);
        if (this == MAPPING) {
            vars.put("message", DYN_MAP);
            vars.put("event", SimpleType.STRING);
            vars.put("type", SimpleType.STRING);
            vars.put("properties", DYN_MAP);
            vars.put("context", DYN_MAP);
        }
        if (this == DECISION) {
            vars.put("known", SimpleType.BOOL);
            vars.put("audiences", STRINGS);
            vars.put("context", DYN_MAP);
            vars.put("placement", SimpleType.STRING);
            vars.put("now", SimpleType.TIMESTAMP);
        }
        return vars;
    }

    /** What this use calls an expression in messages. */
    String noun() {
        return switch (this) {
            case AUDIENCE -> "audience condition";
            case DECISION -> "rule";
            case POLICY -> "policy condition";
            case POLICY_FIELD -> "policy field selector";
            case WEBHOOK -> "webhook mapping";
            case DELIVERY -> "destination's event filter";
            case MAPPING -> "destination's mapping";
            case CHANGE -> "change rule";
            case KPI -> "KPI expression";
        };
    }
}
