package dev.tandem.audit;

import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The signed checkpoints, one per size the log had when one was written, kept in {@code audit_checkpoints}. */
final class Checkpoints {
    private static final String SELECT = "SELECT size, root, at, signature, public_key FROM audit_checkpoints";

    private final Jdbi jdbi;
    private final SigningKey key;
    private final Clock clock;

    Checkpoints(Jdbi jdbi, SigningKey key, Clock clock) {
        this.jdbi = jdbi;
        this.key = key;
        this.clock = clock;
    }

    /**
     * A checkpoint of {@code head}: the stored one when there is one for that size, else a new one,
     * stored. Synchronised because the checkpoint job and {@code GET /v1/audit/checkpoint} may ask at once.
     */
    synchronized Optional<Checkpoint> of(AuditLog.Head head) {
        if (head.size() == 0) {
            return Optional.empty();
        }
        Optional<Checkpoint> stored = at(head.size());
        if (stored.isPresent()) {
            return stored;
        }
        String publicKey = publicKey();
        Checkpoint unsigned = new Checkpoint(head.size(), head.hash(), clock.millis(), "", publicKey);
        Checkpoint signed = new Checkpoint(
                unsigned.size(),
                unsigned.root(),
                unsigned.at(),
                Base64.getEncoder().encodeToString(key.sign(unsigned.message())),
                publicKey);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_checkpoints (size, root, at, signature, public_key) "
                        + "VALUES (:size, :root, :at, :signature, :publicKey) ON CONFLICT (size) DO NOTHING")
                .bindMethods(signed)
                .execute());
        // another process may have signed this size first: its checkpoint is the one kept
        return at(head.size());
    }

    Optional<Checkpoint> latest() {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY size DESC LIMIT 1")
                .map(Checkpoints::checkpoint)
                .findOne());
    }

    List<Checkpoint> all() {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY size")
                .map(Checkpoints::checkpoint)
                .list());
    }

    /** The raw public key checkpoints are signed with now, base64. */
    String publicKey() {
        return Base64.getEncoder().encodeToString(key.publicKey());
    }

    private Optional<Checkpoint> at(long size) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE size = :size")
                .bind("size", size)
                .map(Checkpoints::checkpoint)
                .findOne());
    }

    private static Checkpoint checkpoint(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Checkpoint(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5));
    }
}
