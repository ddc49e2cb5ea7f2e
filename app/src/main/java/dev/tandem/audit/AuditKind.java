package dev.tandem.audit;

import java.util.Arrays;
import java.util.Optional;

/** What an audit entry records; its wire name is stored and is what {@code GET /v1/audit?kind=} filters by. */
public enum AuditKind {
    /** A change made through the admin API (any guarded route other than GET that answered 2xx). */
    ADMIN_CHANGE("admin.change"),
    /** A privacy request was submitted (its id and type only). */
    PRIVACY_REQUESTED("privacy.requested"),
    /** A privacy request was completed (its id, type and counts). */
    PRIVACY_COMPLETED("privacy.completed"),
    /** A signed-in person made an API token of their own (made with the admin token, it is an admin.change). */
    TOKEN_CREATED("token.created"),
    PERSON_ADDED("person.added"),
    PERSON_REMOVED("person.removed"),
    /** A person's team or role changed. */
    PERSON_CHANGED("person.changed"),
    /** A new one-time sign-in link was issued (it also lifts a lockout). */
    PERSON_LINK_ISSUED("person.link_issued"),
    PASSWORD_SET("person.password_set"),
    SIGNED_IN("person.signed_in"),
    /** A wrong name or password (the object names the name tried, when it is a valid name). */
    SIGN_IN_REFUSED("person.sign_in_refused"),
    SIGNED_OUT("person.signed_out"),
    /** A destination's SLA state changed (detail: state, previous). */
    SLA_STATE_CHANGED("destination.sla_state_changed"),
    /** A change of a workspace object was proposed and waits for approvals (detail: kind, key, tier, needs). */
    CHANGE_PROPOSED("change.proposed"),
    /** Its author edited a pending change: its approvals were reset. */
    CHANGE_AMENDED("change.amended"),
    /** A person approved a change (detail: conditions when the approval was qualified). */
    CHANGE_APPROVED("change.approved"),
    CHANGE_REJECTED("change.rejected"),
    CHANGE_WITHDRAWN("change.withdrawn"),
    /** A change went live (detail: how: approved, low tier, admin token, no people yet). */
    CHANGE_APPLIED("change.applied"),
    /** A pending change outlived the proposals' lifetime. */
    CHANGE_EXPIRED("change.expired"),
    /** An approved change could not be made live (detail: the reason). */
    CHANGE_FAILED("change.failed"),
    /** An audience's size moved by more than the set share in a day (detail: audience, before, after, percent). */
    AUDIENCE_SIZE_MOVED("audience.size_moved"),
    /** A checkpoint of an initiative passed (detail: initiative, kpi, date, expected, value, status, milestone). */
    CHECKPOINT_PASSED("initiative.checkpoint_passed"),
    /** A server started with this workspace (what it declares, counted). */
    STARTED("tandem.started");

    private final String wireName;

    AuditKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<AuditKind> named(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wireName)).findFirst();
    }
}
