package dev.tandem.decide;

import dev.tandem.collect.Source;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Each source's decide secret: the key the site's backend signs {@link UserTokens user tokens}
 * with. An admin creates it (or rotates it, which invalidates every token signed with the old one)
 * and hands it to the backend; it never goes to a browser. Read on every decide with a user
 * token, so it is cached after the first read.
 */
final class DecideSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A source's secret and when it was made. */
    record Secret(String value, long createdAt) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<String, Optional<Secret>> bySource = new ConcurrentHashMap<>();

    DecideSecrets(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    Optional<Secret> of(Source source) {
        return bySource.computeIfAbsent(
                source.id(),
                id -> jdbi.withHandle(
                        h -> h.createQuery("SELECT secret, created_at FROM decide_secrets WHERE source_id = :s")
                                .bind("s", id)
                                .map((rs, ctx) -> new Secret(rs.getString(1), rs.getLong(2)))
                                .findOne()));
    }

    /** Makes a new secret for the source, replacing the old one. */
    synchronized Secret rotate(Source source) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        Secret secret = new Secret("dks_" + HexFormat.of().formatHex(bytes), clock.millis());
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM decide_secrets WHERE source_id = :s")
                    .bind("s", source.id())
                    .execute();
            h.createUpdate("INSERT INTO decide_secrets (source_id, secret, created_at) VALUES (:s, :v, :at)")
                    .bind("s", source.id())
                    .bind("v", secret.value())
                    .bind("at", secret.createdAt())
                    .execute();
        });
        bySource.put(source.id(), Optional.of(secret));
        return secret;
    }
}
