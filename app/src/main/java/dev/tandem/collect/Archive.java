package dev.tandem.collect;

import dev.tandem.store.PrivateFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The archive: rows that left the live store after their source's retention, one gzip JSON Lines
 * file per kind, source and day (UTC, by when Tandem received them) under
 * {@code <data>/archive/<kind>/<source id>/<yyyy>/<yyyy-mm-dd>.jsonl.gz}, and the manifest table
 * {@code archive_days} that says how many bytes of each file are committed and which keys (seqs
 * or quarantine ids) it holds. A file is written before the manifest row that makes its bytes
 * count is committed, together with the deletion of the live rows, so a crash in between leaves
 * the rows live and the file's extra bytes unread.
 */
public final class Archive {
    /** What a file holds: accepted events (keyed by seq) or refused ones (keyed by quarantine id). */
    public enum Kind {
        EVENTS,
        QUARANTINE;

        String dir() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One manifest row: a kind's file of one source and day, its committed length and its key range. */
    public record Day(
            Kind kind, String sourceId, LocalDate day, long events, long firstKey, long lastKey, long bytes) {}

    /** A line to archive with its key (seq or id) and when it was received, epoch milliseconds. */
    public record Line(long key, long receivedAt, String json) {}

    private final Path root;
    private final Jdbi jdbi;
    private volatile long lastEventSeq = -1;

    public Archive(Path root, Jdbi jdbi) {
        this.root = root;
        this.jdbi = jdbi;
    }

    public Path root() {
        return root;
    }

    /** The file of a manifest row. */
    public Path file(Day d) {
        return root.resolve(d.kind().dir())
                .resolve(d.sourceId())
                .resolve(Integer.toString(d.day().getYear()))
                .resolve(d.day() + ".jsonl.gz");
    }

    /**
     * Takes the store's write lock first thing in {@code h}'s transaction. Why: on SQLite a
     * transaction that reads and then writes fails (SQLITE_BUSY_SNAPSHOT, with no waiting) when
     * another connection, the inbox writer, committed in between; a write as its first statement
     * waits for the lock instead, and what it reads after is current.
     */
    public void lockForWrite(Handle h) {
        h.execute("UPDATE archive_days SET events = events WHERE kind = 'none'");
    }

    /** The highest key archived for a kind and source, 0 when none: every older key of it left the live store. */
    public long lastKey(Handle h, Kind kind, String sourceId) {
        return h.createQuery("SELECT COALESCE(MAX(last_key), 0) FROM archive_days WHERE kind = :k AND source_id = :s")
                .bind("k", kind.name())
                .bind("s", sourceId)
                .mapTo(Long.class)
                .one();
    }

    /** The highest seq in any events file, 0 when none; read once, then kept as files are appended. */
    public long lastEventSeq() {
        long known = lastEventSeq;
        if (known < 0) {
            known = jdbi.withHandle(
                    h -> h.createQuery("SELECT COALESCE(MAX(last_key), 0) FROM archive_days WHERE kind = 'EVENTS'")
                            .mapTo(Long.class)
                            .one());
            lastEventSeq = known;
        }
        return known;
    }

    /** Every manifest row of a kind, by first key. */
    public List<Day> days(Kind kind) {
        return jdbi.withHandle(h -> days(h, kind));
    }

    List<Day> days(Handle h, Kind kind) {
        return h.createQuery("SELECT kind, source_id, day, events, first_key, last_key, bytes FROM archive_days "
                        + "WHERE kind = :k ORDER BY first_key, source_id, day")
                .bind("k", kind.name())
                .map((rs, ctx) -> new Day(
                        Kind.valueOf(rs.getString(1)),
                        rs.getString(2),
                        LocalDate.parse(rs.getString(3)),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7)))
                .list();
    }

    /**
     * Appends lines (ascending keys, one source) to their day files, fsynced, and records the new
     * lengths in the manifest inside {@code h}, the transaction that deletes the live rows.
     */
    public void append(Handle h, Kind kind, String sourceId, List<Line> lines) {
        PrivateFiles.directory(root);
        int from = 0;
        while (from < lines.size()) {
            LocalDate day = day(lines.get(from).receivedAt());
            int to = from;
            while (to < lines.size() && day(lines.get(to).receivedAt()).equals(day)) {
                to++;
            }
            List<Line> part = lines.subList(from, to);
            Optional<Day> existing = day(h, kind, sourceId, day);
            Day before =
                    existing.orElse(new Day(kind, sourceId, day, 0, part.get(0).key(), 0, 0));
            long length = ArchiveFile.append(
                    file(before), before.bytes(), part.stream().map(Line::json).toList());
            Day after = new Day(
                    kind,
                    sourceId,
                    day,
                    before.events() + part.size(),
                    Math.min(before.firstKey(), part.get(0).key()),
                    Math.max(before.lastKey(), part.get(part.size() - 1).key()),
                    length);
            save(h, after, existing.isPresent());
            if (kind == Kind.EVENTS) {
                h.afterCommit(() -> lastEventSeq = Math.max(lastEventSeq(), after.lastKey()));
            }
            from = to;
        }
    }

    /**
     * Rewrites every file of a kind without the lines {@code erased} matches (an erasure), inside
     * the erasure's transaction; returns how many lines were removed. Why every file: an archived
     * line names the profile its event was applied to, but nothing indexes lines by profile; an
     * erasure is rare, and each file is read once.
     */
    public long erase(Handle h, Kind kind, Predicate<String> erased) {
        long removed = 0;
        for (Day d : days(h, kind)) {
            int[] kept = {0};
            long length = ArchiveFile.rewrite(file(d), d.bytes(), erased.negate(), kept);
            if (length >= 0) {
                removed += d.events() - kept[0];
                save(h, new Day(kind, d.sourceId(), d.day(), kept[0], d.firstKey(), d.lastKey(), length), true);
            }
        }
        return removed;
    }

    /** The committed lines of one file, in file order. */
    public List<String> lines(Day d) {
        return ArchiveFile.read(file(d), d.bytes());
    }

    java.io.BufferedReader reader(Day d) throws java.io.IOException {
        return ArchiveFile.reader(file(d), d.bytes());
    }

    private Optional<Day> day(Handle h, Kind kind, String sourceId, LocalDate day) {
        return h.createQuery("SELECT events, first_key, last_key, bytes FROM archive_days "
                        + "WHERE kind = :k AND source_id = :s AND day = :d")
                .bind("k", kind.name())
                .bind("s", sourceId)
                .bind("d", day.toString())
                .map((rs, ctx) ->
                        new Day(kind, sourceId, day, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .findOne();
    }

    private static void save(Handle h, Day d, boolean exists) {
        String sql = exists
                ? "UPDATE archive_days SET events = :e, first_key = :f, last_key = :l, bytes = :b "
                        + "WHERE kind = :k AND source_id = :s AND day = :d"
                : "INSERT INTO archive_days (kind, source_id, day, events, first_key, last_key, bytes) "
                        + "VALUES (:k, :s, :d, :e, :f, :l, :b)";
        h.createUpdate(sql)
                .bind("k", d.kind().name())
                .bind("s", d.sourceId())
                .bind("d", d.day().toString())
                .bind("e", d.events())
                .bind("f", d.firstKey())
                .bind("l", d.lastKey())
                .bind("b", d.bytes())
                .execute();
    }

    static LocalDate day(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
