package dev.tandem.change;

import java.util.Arrays;
import java.util.Optional;

/** Where a change stands. Only {@code pending} changes may be approved, rejected, edited or withdrawn. */
enum Status {
    PENDING("pending"),
    /** Approved, made in tandem.yaml: live at the next start, when the file is read again. */
    APPROVED("approved"),
    APPLIED("applied"),
    REJECTED("rejected"),
    WITHDRAWN("withdrawn"),
    /** Pending for longer than the proposals' lifetime. */
    EXPIRED("expired"),
    /** Approved, but making it live failed (the reason is its note). */
    FAILED("failed"),
    /** Superseded: the file was edited again before this was approved. */
    REPLACED("replaced");

    private final String wireName;

    Status(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<Status> named(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
