package dev.tandem.govern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Identifiers of erased subjects, kept only as SHA-256 of {@code type:normalised value}: an event
 * carrying one is not stored. The collector asks on every event; while nobody has been erased
 * that costs one volatile read.
 */
final class Suppressions implements Predicate<ObjectNode> {
    private final Jdbi jdbi;
    private final IdentityRules rules;
    private volatile Set<String> hashes;

    public Suppressions(Jdbi jdbi, IdentityRules rules) {
        this.jdbi = jdbi;
        this.rules = rules;
        this.hashes = Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT sha256 FROM suppressions")
                .mapTo(String.class)
                .list()));
    }

    @Override
    public boolean test(ObjectNode event) {
        Set<String> current = hashes;
        if (current.isEmpty()) {
            return false;
        }
        for (Identifier id : rules.identifiersOf(event)) {
            if (current.contains(hash(id))) {
                return true;
            }
        }
        return false;
    }

    /** A raw value of an identifier type, normalised as events' values are; null when invalid. */
    Identifier normalized(String type, String raw) {
        return rules.normalized(type, raw);
    }

    static String hash(Identifier id) {
        return Obligations.sha256(id.type() + ":" + id.value());
    }

    /** Suppresses the identifiers from now on, inside the caller's transaction; call {@link #reload} after the commit. */
    void add(Handle h, String requestId, List<Identifier> identifiers, long now) {
        var batch = h.prepareBatch(
                "INSERT INTO suppressions (sha256, type, request_id, created_at) VALUES (:h, :t, :r, :at) "
                        + "ON CONFLICT (sha256) DO NOTHING");
        for (Identifier id : identifiers) {
            batch.bind("h", hash(id))
                    .bind("t", id.type())
                    .bind("r", requestId)
                    .bind("at", now)
                    .add();
        }
        if (!identifiers.isEmpty()) {
            batch.execute();
        }
    }

    /** Takes effect for the collector at once: the hashes are added to the set in memory too. */
    void addNow(List<Identifier> identifiers) {
        Set<String> next = new HashSet<>(hashes);
        identifiers.forEach(id -> next.add(hash(id)));
        hashes = Set.copyOf(next);
    }
}
