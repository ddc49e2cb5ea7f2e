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
