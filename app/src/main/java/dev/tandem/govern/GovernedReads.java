package dev.tandem.govern;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.Forbidden;
import dev.tandem.protect.ReadPolicy;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The gate on read paths. The server's token check puts the caller's flow (an {@code api_read}
 * with the token's role and purposes) on the request; a request without one reads as a caller
 * with no purpose. Reads see the subject as known or not; consent governs flows out of Tandem.
 */
public final class GovernedReads implements ReadPolicy {
    private static final String READER = "tandem.reader";
    private static final Flow NO_PURPOSE = Flow.apiRead("anonymous", "", List.of());

    private final Gate gate;

    public GovernedReads(Gate gate) {
        this.gate = gate;
    }

    /** Records who is reading, for the filters after it. */
    public static void attach(Context ctx, Flow reader) {
        ctx.attribute(READER, reader);
    }

    public static Flow reader(Context ctx) {
        Flow flow = ctx.attribute(READER);
        return flow == null ? NO_PURPOSE : flow;
    }

    @Override
    public String withheld(Context ctx, String field) {
        int dot = field.indexOf('.');
        String root = dot < 0 ? field : field.substring(0, dot);
        if (!root.equals("traits") && !root.equals("identifiers")) {
            return null;
        }
        // a whole map is withheld when a personal field in it would be: an email address is personal under any
        // classification
        String key = dot < 0 ? "email" : field.substring(dot + 1);
        String probe = dot < 0 ? "probe@example.com" : "probe";
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject("traits").put(key, probe);
        Flow reader = reader(ctx);
        Decision d = gate.ask(reader, new Subject(0, Map.of(), false), payload);
        String caller = "for the caller '" + reader.name() + "'"
                + (reader.role().isEmpty() ? "" : " (role " + reader.role() + ")")
                + (reader.purposes().isEmpty() ? ", which has no purpose" : "");
        return switch (d) {
            case Decision.Deny deny ->
                "denied " + caller + ": " + deny.reasons().get(0).reason() + " (rule "
                        + deny.reasons().get(0).rule() + ")";
            case Decision.Allow allow -> null;
            case Decision.AllowWith with ->
                probe.equals(with.payload().path("traits").path(key).asText(null))
                        ? null
                        : changedBy(with, "traits." + key) + " " + caller;
        };
    }

    /** How and why a rule changed the field: "masked: Analysts read aggregates... (rule analysts-see-aggregates)". */
    private static String changedBy(Decision.AllowWith with, String path) {
        for (Decision.Reason r : with.reasons()) {
            if (r.fields().contains(path)) {
                String done = switch (r.effect()) {
                    case DROP -> "dropped";
                    case TRUNCATE_IP -> "truncated";
                    case HASH -> "hashed";
                    case MASK -> "masked";
                    case COARSEN -> "coarsened";
                    case DENY -> "denied";
                    case ALLOW -> "allowed";
                };
                return done + " (rule " + r.rule() + ": " + r.reason() + ")";
            }
        }
        return "changed by the policy";
    }

    @Override
    public ObjectNode filter(Context ctx, long profile, ObjectNode payload) {
        Decision d = gate.decide(reader(ctx), new Subject(profile, Map.of(), false), payload);
        if (d instanceof Decision.Deny deny) {
            throw new Forbidden(
                    "read_denied",
                    "The policy denies this read: " + deny.reasons().get(0).reason() + " (rule "
                            + deny.reasons().get(0).rule() + ").");
        }
        return d.payload();
    }
}
