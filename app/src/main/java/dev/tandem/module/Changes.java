package dev.tandem.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/**
 * Where a route that changes a workspace object hands the change, instead of making it live
 * itself: the change module records it, works out its risk tier and either applies it at once or
 * keeps it pending until it is approved. Until a change module is wired, every change is applied at
 * once.
 */
public interface Changes {
    /** Applies at once: what a server without a change module does. */
    Changes IMMEDIATE = (target, key, declaration, ctx) -> {
        target.apply(key, declaration);
        return Submitted.APPLIED_UNRECORDED;
    };

    /**
     * Submits the change of {@code key} to {@code declaration} (null: remove it), checked already by
     * {@code target}, made by the caller of {@code ctx}.
     */
    Submitted submit(Changeable target, String key, JsonNode declaration, Context ctx);

    /**
     * What became of a change: applied (live now) or pending (waiting for approvals), with the change
     * record as the API shows it (null when none was kept).
     */
    record Submitted(long id, boolean applied, JsonNode change) {
        public static final Submitted APPLIED_UNRECORDED = new Submitted(0, true, null);

        /** Answers 202 for a change that waits for approvals: its id and where to follow it; {@code object} as "the audience 'vips'". */
        public void answerPending(Context ctx, String object) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("change", id);
            out.put("status", "pending");
            out.put(
                    "note",
                    "The change of " + object + " waits for approval; follow it at /v1/changes/" + id
                            + ". Nothing changed yet.");
            ctx.status(202).json(out);
        }
    }
}
