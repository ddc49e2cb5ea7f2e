package dev.tandem.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.Forbidden;
import dev.tandem.expr.Expression;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Who asks for a preview, as the read policy sees them. A condition is a question about people:
 * {@code traits.email.startsWith("a")} asked 300 times spells out an address that the Profile API
 * shows masked. So a caller's condition may read only fields the caller can read in clear, and a
 * caller who reads personal data masked (an analyst, a token without a purpose) gets no count of
 * fewer than {@value #SMALLEST_GROUP} profiles, so that a question cannot single anyone out.
 */
final class PreviewCaller {
    /** Counts below this are not given to callers who read personal data masked. */
    static final int SMALLEST_GROUP = 10;

    private final Context ctx;
    private final MemberIdentifiers members;
    private final boolean masked;

    PreviewCaller(Context ctx, MemberIdentifiers members) {
        this.ctx = ctx;
        this.members = members;
        this.masked = members.reads().withheld(ctx, "traits") != null;
    }

    /** Refuses, with 403 naming the field and the rule, a condition that reads what this caller sees masked. */
    void requireClearReads(Expression condition) {
        for (String field : condition.reads()) {
            String why = members.reads().withheld(ctx, field);
            if (why != null) {
                throw new Forbidden(
                        "masked_field",
                        "The condition reads " + (field.contains(".") ? field : "the whole of " + field)
                                + ", which is " + why
                                + ". A condition may read only what its caller can read in clear, or yes/no questions would unmask the value; "
                                + "use a token with a purpose for it, or leave the field out.",
                        "condition");
            }
        }
    }

    /**
     * Whether a count is withheld from this caller: fewer than {@value #SMALLEST_GROUP} profiles, or
     * fewer than that left out of the {@code of} evaluated. Why both sides: {@code !(question)} asked
     * of everyone reveals the one person left out as plainly as the question asked alone.
     */
    boolean suppresses(long count, long of) {
        return masked && (count < SMALLEST_GROUP || of - count < SMALLEST_GROUP);
    }

    /**
     * Writes {@code field} for this caller: as it is to a caller who reads in clear; to a masked
     * caller rounded down to a multiple of {@value #SMALLEST_GROUP} (with {@code "rounded_to"}), or
     * as {@code null} with {@code "fewer_than": 10} when {@link #suppresses} says so. Rounding makes
     * the difference of two overlapping questions (a group with and without one person) mostly
     * vanish; it does not make it impossible, which docs/audiences.md says.
     * @return {@code object}, for chaining
     */
    ObjectNode count(ObjectNode object, String field, long count, long of) {
        if (suppresses(count, of)) {
            object.putNull(field);
            object.put("fewer_than", SMALLEST_GROUP);
        } else if (masked) {
            object.put(field, count / SMALLEST_GROUP * SMALLEST_GROUP);
            object.put("rounded_to", SMALLEST_GROUP);
        }
        return object;
    }

    /** The identifiers of sample profiles as this caller may see them. */
    Map<Long, Map<String, List<String>>> shownAs(List<Long> profiles) {
        return members.of(ctx, profiles);
    }
}
