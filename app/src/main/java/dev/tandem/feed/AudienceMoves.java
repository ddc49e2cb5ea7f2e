package dev.tandem.feed;

import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code feed.audiences}: every {@link #LOOK_EVERY}, compares each computed audience's size with the
 * one kept for it in {@code feed_audience_sizes} once that is a day old; a move of more than the set
 * share is recorded in the audit trail ({@code audience.size_moved}, actor {@code system}), which makes
 * it an item of the feed's {@code audiences} topic, and the size now becomes the next day's baseline.
 * Reads the sizes the audience package keeps, never its members or the events. Repeated after a crash
 * mid-run, an item may come twice; none is lost.
 */
final class AudienceMoves implements Job {
    static final String KIND = "feed.audiences";
    static final String KEY = "sizes";
    static final Duration DAY = Duration.ofDays(1);
    static final Duration LOOK_EVERY = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final AuditLog audit;
    private final Supplier<Map<String, Long>> sizes;
    private final int percent;
    private final Clock clock;

    /** @param percent the share (in percent of the size a day before) past which a move is an item */
    AudienceMoves(Jdbi jdbi, AuditLog audit, Supplier<Map<String, Long>> sizes, int percent, Clock clock) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.sizes = sizes;
        this.percent = percent;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    private record Kept(long size, long at) {}

    @Override
    public Next run(Due due) {
        long now = clock.millis();
        Map<String, Long> current = sizes.get();
        Map<String, Kept> kept = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT audience, size, measured_at FROM feed_audience_sizes")
                .map((rs, ctx) -> kept.put(rs.getString(1), new Kept(rs.getLong(2), rs.getLong(3))))
                .list());
        for (Map.Entry<String, Long> a : current.entrySet()) {
            Kept before = kept.get(a.getKey());
            if (before != null && now - before.at() < DAY.toMillis()) {
                continue;
            }
            long after = a.getValue();
            if (before != null && moved(before.size(), after)) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("audience", a.getKey());
                detail.put("before", before.size());
                detail.put("after", after);
                detail.put("percent", Math.round(100.0 * Math.abs(after - before.size()) / Math.max(1, before.size())));
                detail.put("since", before.at());
                audit.append("system", AuditKind.AUDIENCE_SIZE_MOVED, "audience:" + a.getKey(), detail);
            }
            keep(a.getKey(), after, now);
        }
        // audiences deleted (or computing again) since: their baseline goes, and a new one starts when they are back
        kept.keySet().stream()
                .filter(key -> !current.containsKey(key))
                .forEach(
                        key -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM feed_audience_sizes WHERE audience = :a")
                                .bind("a", key)
                                .execute()));
        return Next.again(clock.instant().plus(LOOK_EVERY));
    }

    /** More than {@code percent} of the size before (of 1, for an audience that was empty). */
    private boolean moved(long before, long after) {
        return Math.abs(after - before) * 100 > (long) percent * Math.max(1, before);
    }

    private void keep(String audience, long size, long at) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO feed_audience_sizes (audience, size, measured_at) "
                        + "VALUES (:a, :s, :at) ON CONFLICT (audience) DO UPDATE SET size = excluded.size, "
                        + "measured_at = excluded.measured_at")
                .bind("a", audience)
                .bind("s", size)
                .bind("at", at)
                .execute());
    }
}
