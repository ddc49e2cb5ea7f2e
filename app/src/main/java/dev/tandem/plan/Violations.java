package dev.tandem.plan;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Violation counts by plan, event, field and kind, each with a sample that holds no value of any
 * event (the keyword, what was expected, the JSON type found). Request threads only add to memory;
 * once a second a background thread adds what was counted to {@code tracking_plan_violations}, and
 * closing writes the rest. At most {@link #MAX_KEYS} distinct rows are held (a row unchanged for a
 * second is let go once written): past that, new fields are counted under {@code (other)}, so
 * made-up names cannot fill the memory.
 */
final class Violations implements AutoCloseable {
    static final int MAX_KEYS = 10_000;
    static final String OTHER = "(other)";
    private static final Logger log = LoggerFactory.getLogger(Violations.class);

    record Key(String plan, String type, String event, String field, Kind kind) {}

    /** A row as the API shows it. */
    record Row(Key key, long count, String keyword, String expected, String found, long firstAt, long lastAt) {}

    private static final class Tally {
        final LongAdder count = new LongAdder();
        final Violation sample;
        final long firstAt;
        volatile long lastAt;
        /** What the table has of {@link #count} already; written by the flush alone. */
        long flushed;

        Tally(Violation sample, long at) {
            this.sample = sample;
            this.firstAt = at;
            this.lastAt = at;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<Key, Tally> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    Violations(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.flusher = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("plan-violations").daemon(true).unstarted(r));
        flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    void record(String plan, Violation v) {
        Map<Key, Tally> map = pending;
        Key key = new Key(plan, v.subject().type().wireName(), v.subject().label(), v.field(), v.kind());
        Tally tally = map.get(key);
        if (tally == null) {
            if (map.size() >= MAX_KEYS) {
                key = new Key(plan, key.type(), OTHER, OTHER, v.kind());
            }
            long now = clock.millis();
            tally = map.computeIfAbsent(key, k -> new Tally(v, now));
        }
        tally.count.increment();
        tally.lastAt = clock.millis();
    }

    /** The rows of one plan, most frequent first, with what is not written yet. */
    List<Row> of(String plan) {
        flush();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT event_type, event, field, kind, count, keyword, expected, found, first_at, last_at
                        FROM tracking_plan_violations WHERE plan_key = :plan ORDER BY count DESC, event, field, kind""")
                .bind("plan", plan)
                .map((rs, ctx) -> new Row(
                        new Key(plan, rs.getString(1), rs.getString(2), rs.getString(3), Kind.named(rs.getString(4))),
                        rs.getLong(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getLong(9),
                        rs.getLong(10)))
                .list());
    }

    /** Forgets a removed plan's counts. */
    void forget(String plan) {
        flush();
        pending.keySet().removeIf(k -> k.plan().equals(plan));
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM tracking_plan_violations WHERE plan_key = :plan")
                .bind("plan", plan)
                .execute());
    }

    /** Adds what was counted since the last write; a row unchanged since then is let go. */
    synchronized void flush() {
        List<Map.Entry<Key, Tally>> rows = new ArrayList<>();
        List<Long> sums = new ArrayList<>();
        for (var entry : pending.entrySet()) {
            long sum = entry.getValue().count.sum();
            if (sum == entry.getValue().flushed) {
                pending.remove(entry.getKey(), entry.getValue());
            } else {
                rows.add(entry);
                sums.add(sum);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO tracking_plan_violations
                        (plan_key, event_type, event, field, kind, count, keyword, expected, found, first_at, last_at)
                    VALUES (:plan, :type, :event, :field, :kind, :n, :keyword, :expected, :found, :first, :last)
                    ON CONFLICT (plan_key, event_type, event, field, kind) DO UPDATE SET
                        count = tracking_plan_violations.count + excluded.count, last_at = excluded.last_at""");
            for (int i = 0; i < rows.size(); i++) {
                Key k = rows.get(i).getKey();
                Tally t = rows.get(i).getValue();
                batch.bind("plan", k.plan())
                        .bind("type", k.type())
                        .bind("event", k.event())
                        .bind("field", k.field())
                        .bind("kind", k.kind().wireName())
                        .bind("n", sums.get(i) - t.flushed)
                        .bind("keyword", t.sample.keyword())
                        .bind("expected", t.sample.expected())
                        .bind("found", t.sample.found())
                        .bind("first", t.firstAt)
                        .bind("last", t.lastAt)
                        .add();
            }
            batch.execute();
        });
        // only once committed: a failed write leaves the counts to be written next time
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).getValue().flushed = sums.get(i);
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("writing tracking-plan violations failed; it is retried in a second");
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("the last write of tracking-plan violations failed");
        }
    }
}
