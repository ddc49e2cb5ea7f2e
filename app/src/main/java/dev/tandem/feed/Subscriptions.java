package dev.tandem.feed;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The SQL of {@code feed_subscriptions}. */
final class Subscriptions {
    private static final String COLUMNS = "id, url, topics, format, secret, urgent_after, digest_after, digest_due_at";
    private static final RowMapper<Subscription> ROW = (rs, ctx) -> new Subscription(
            rs.getString(1),
            rs.getString(2),
            Arrays.stream(rs.getString(3).split(","))
                    .map(t -> Topic.named(t).orElseThrow())
                    .toList(),
            rs.getString(4),
            rs.getString(5),
            new Subscription.Positions(rs.getLong(6), rs.getLong(7), rs.getLong(8)));

    private final Jdbi jdbi;

    Subscriptions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(Subscription s, long createdAt) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO feed_subscriptions (" + COLUMNS + ", created_at) VALUES "
                        + "(:id, :url, :topics, :format, :secret, :urgent, :digest, :due, :created)")
                .bind("id", s.id())
                .bind("url", s.url())
                .bind(
                        "topics",
                        String.join(
                                ",", s.topics().stream().map(Topic::wireName).toList()))
                .bind("format", s.format())
                .bind("secret", s.secret())
                .bind("urgent", s.positions().urgentAfter())
                .bind("digest", s.positions().digestAfter())
                .bind("due", s.positions().digestDueAt())
                .bind("created", createdAt)
                .execute());
    }

    List<Subscription> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM feed_subscriptions ORDER BY created_at")
                .map(ROW)
                .list());
    }

    Optional<Subscription> get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM feed_subscriptions WHERE id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    void moved(String id, Subscription.Positions p) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE feed_subscriptions SET urgent_after = :u, digest_after = :d, "
                        + "digest_due_at = :due WHERE id = :id")
                .bind("u", p.urgentAfter())
                .bind("d", p.digestAfter())
                .bind("due", p.digestDueAt())
                .bind("id", id)
                .execute());
    }

    boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM feed_subscriptions WHERE id = :id")
                        .bind("id", id)
                        .execute())
                == 1;
    }
}
