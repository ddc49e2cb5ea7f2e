package dev.tandem.govern;

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
    public ObjectNode filter(Context ctx, long profile, ObjectNode payload) {
        Decision d = gate.decide(reader(ctx), new Subject(profile, Map.of(), false), payload);
        if (d instanceof Decision.Deny deny) {
            throw new Forbidden("read_denied", "The policy denies this read: " + deny.reasons().get(0).reason()
                    + " (rule " + deny.reasons().get(0).rule() + ").");
        }
        return d.payload();
    }
}
