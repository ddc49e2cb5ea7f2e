package dev.tandem.protect;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fields Tandem has seen, with their class, why, and how often, for a steward to review;
 * and the removal counts. Request threads only touch memory; once a second a background thread
 * writes what changed ({@code field_catalog}, {@code field_removals}), and closing writes the rest.
 */
public final class FieldCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FieldCatalog.class);

    /** One row of the catalog as the API shows it. */
    public record Field(
            String path,
            FieldClass fieldClass,
            String classifiedBy,
            long seen,
            long firstSeen,
            long lastSeen,
            boolean reviewed) {}

    /** One row of the removal log. */
    public record Removal(String sourceId, String path, String reason, long count, long firstAt, long lastAt) {}

    private final Jdbi jdbi;
    private final Classifier classifier;
    private final Clock clock;
    private final RemovalLog removals = new RemovalLog();
    private final ScheduledExecutorService flusher;

    public FieldCatalog(Jdbi jdbi, Classifier classifier, Clock clock) {
        this.jdbi = jdbi;
        this.classifier = classifier;
        this.clock = clock;
        classifier.review(reviewed());
        this.flusher = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("field-catalog").daemon(true).unstarted(r));
        flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    RemovalLog removals() {
        return removals;
    }

    private Map<String, FieldClass> reviewed() {
        Map<String, FieldClass> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT path, reviewed_class FROM field_catalog WHERE reviewed_class IS NOT NULL")
                .map((rs, ctx) -> out.put(rs.getString(1), FieldClass.named(rs.getString(2))))
                .list());
        return out;
    }

    /** Sets a steward's class for a path; the path need not have been seen yet. */
    public void review(String path, FieldClass fieldClass) {
        long now = clock.millis();
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO field_catalog (path, class, classified_by, seen, first_seen, last_seen, reviewed_class, reviewed_at)
                VALUES (:p, :c, 'reviewed by a steward', 0, :now, :now, :c, :now)
                ON CONFLICT (path) DO UPDATE SET class = excluded.class, classified_by = excluded.classified_by,
                    reviewed_class = excluded.reviewed_class, reviewed_at = excluded.reviewed_at""")
                .bind("p", path)
                .bind("c", fieldClass.wireName())
                .bind("now", now)
                .execute());
        classifier.review(reviewed());
    }

    /** The catalog, flushed first so it is current; {@code unreviewedOnly} keeps fields nothing has classified. */
    public List<Field> fields(boolean unreviewedOnly) {
        flush();
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT path, class, classified_by, seen, first_seen, last_seen, reviewed_class FROM field_catalog"
                                + (unreviewedOnly
                                        ? " WHERE reviewed_class IS NULL AND classified_by IN ('no rule matched', 'value matchers')"
                                        : "")
                                + " ORDER BY path")
                .map((rs, ctx) -> new Field(
                        rs.getString(1),
                        stored(rs.getString(2)),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getString(7) != null))
                .list());
    }

    /** A stored class read back; one this version does not know is a bug, so it throws. */
    private static FieldClass stored(String name) {
        FieldClass c = FieldClass.named(name);
        if (c == null) {
            throw new IllegalStateException("The field catalog has the unknown class '" + name + "'.");
        }
        return c;
    }

    public List<Removal> removalLog() {
        flush();
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT source_id, path, reason, count, first_at, last_at FROM field_removals "
                                + "ORDER BY last_at DESC, path")
                .map((rs, ctx) -> new Removal(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)))
                .list());
    }

    /** Writes changed catalog rows and removal counts; counts taken but not written are put back. */
    public synchronized void flush() {
        long now = clock.millis();
        Map<RemovalLog.Key, Long> counts = removals.drain();
        List<FieldNode> nodes = classifier.catalogued().stream()
                .filter(n -> n.changed || n.seen.sum() != n.flushedSeen)
                .toList();
        if (counts.isEmpty() && nodes.isEmpty()) {
            return;
        }
        long[] seen = new long[nodes.size()];
        try {
            jdbi.useTransaction(h -> {
                var fields = h.prepareBatch("""
                        INSERT INTO field_catalog (path, class, classified_by, seen, first_seen, last_seen)
                        VALUES (:p, :c, :by, :n, :now, :now)
                        ON CONFLICT (path) DO UPDATE SET class = excluded.class, classified_by = excluded.classified_by,
                            seen = field_catalog.seen + excluded.seen,
                            last_seen = CASE WHEN excluded.seen > 0 THEN excluded.last_seen ELSE field_catalog.last_seen END""");
                for (int i = 0; i < nodes.size(); i++) {
                    FieldNode n = nodes.get(i);
                    seen[i] = n.seen.sum();
                    FieldClass c = n.classOf(FieldClass.GENERAL);
                    String by = n.declared != null
                            ? n.declaredBy
                            : c == FieldClass.GENERAL ? "no rule matched" : "value matchers";
                    fields.bind("p", n.path)
                            .bind("c", c.wireName())
                            .bind("by", by)
                            .bind("n", seen[i] - n.flushedSeen)
                            .bind("now", now)
                            .add();
                }
                if (!nodes.isEmpty()) {
                    fields.execute();
                }
                var log = h.prepareBatch("""
                        INSERT INTO field_removals (source_id, path, reason, count, first_at, last_at) VALUES (:s, :p, :r, :n, :now, :now)
                        ON CONFLICT (source_id, path, reason) DO UPDATE SET count = field_removals.count + excluded.count,
                            last_at = excluded.last_at""");
                counts.forEach((k, n) -> log.bind("s", k.sourceId())
                        .bind("p", k.path())
                        .bind("r", k.reason())
                        .bind("n", n)
                        .bind("now", now)
                        .add());
                if (!counts.isEmpty()) {
                    log.execute();
                }
            });
        } catch (RuntimeException e) {
            removals.restore(counts);
            throw e;
        }
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).flushedSeen = seen[i];
            nodes.get(i).changed = false;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("writing the field catalog failed; it is retried in a second");
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
            log.atWarn().setCause(e).log("the last write of the field catalog failed");
        }
    }
}
