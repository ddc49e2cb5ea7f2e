package dev.tandem.change;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One change of one workspace object: what it changes ({@code declaration}: the object as proposed,
 * null for a removal; {@code previous}: as it was live), who proposed it and from where, its tier
 * and the rule that set it, where it stands, and the verdicts given on it so far.
 */
record Change(
        long id,
        Target target,
        Author author,
        Assessment assessment,
        Status status,
        JsonNode declaration,
        JsonNode previous,
        JsonNode diff,
        List<Verdict> verdicts,
        Times times,
        String note) {

    /** The object changed: its kind and key, and how (create, update, delete). */
    record Target(String kind, String key, String action, String origin) {}

    /** Who proposed it: the caller as the audit trail names them, and the person and side behind it, if any. */
    record Author(String caller, String person, String side) {}

    /**
     * The tier and the change rule that gave it, and what the object's kind said of it besides its
     * fields ({@code facts}: a destination's {@code personal}, a journey's dry run and {@code reach}),
     * kept so that approvers see what the tier was worked out from; null when none was said.
     */
    record Assessment(Tier tier, String rule, JsonNode facts) {
        Assessment(Tier tier, String rule) {
            this(tier, rule, null);
        }
    }

    record Times(long createdAt, long updatedAt, long expiresAt) {}

    /** One person's approval or rejection, with the conditions a qualified approval attaches. */
    record Verdict(
            String person, String side, String role, boolean approves, JsonNode conditions, String comment, long at) {}

    Change with(Status next, String why, long now) {
        return new Change(
                id,
                target,
                author,
                assessment,
                next,
                declaration,
                previous,
                diff,
                verdicts,
                new Times(times.createdAt(), now, times.expiresAt()),
                why);
    }
}
