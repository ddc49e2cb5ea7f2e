package dev.tandem.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The chain: an entry's hash is the hex SHA-256 of the previous entry's hash (64 zeros before the
 * first), a line feed, and the entry's canonical JSON
 * {@code {"actor":..,"at":..,"detail":..,"id":..,"kind":..,"object":..}} with keys in that (sorted)
 * order. Editing any field, removing an entry or swapping two changes every hash after it.
 */
final class ChainHash {
    static final String GENESIS = "0".repeat(64);

    private final MessageDigest sha256;

    ChainHash() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Not thread-safe: one per thread (the log appends under its lock; a verification has its own). */
    String of(String previous, long id, long at, String actor, String kind, String object, String detail) {
        String entry = "{\"actor\":" + Canonical.quoted(actor) + ",\"at\":" + at + ",\"detail\":" + detail
                + ",\"id\":" + id + ",\"kind\":" + Canonical.quoted(kind) + ",\"object\":"
                + Canonical.quoted(object) + "}";
        sha256.reset();
        sha256.update(previous.getBytes(StandardCharsets.US_ASCII));
        sha256.update((byte) '\n');
        return HexFormat.of().formatHex(sha256.digest(entry.getBytes(StandardCharsets.UTF_8)));
    }

    String of(String previous, AuditEntry e) {
        return of(previous, e.id(), e.at(), e.actor(), e.kind(), e.object(), e.detail());
    }
}
