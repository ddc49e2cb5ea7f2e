package dev.tandem.retain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.Archive;
import dev.tandem.collect.InboxAging;
import dev.tandem.collect.Retention;
import dev.tandem.collect.Source;
import dev.tandem.collect.Sources;
import dev.tandem.process.Processor;
import dev.tandem.process.SetAsideEvent;
import dev.tandem.profile.ProfileReader;
import dev.tandem.schedule.Progress;
import dev.tandem.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One slice of retention: for each source in turn, the events past its retention that the
 * processor has applied (seq at most its cursor) and the quarantined events past theirs move to
 * the archive, at most {@code slice} rows a slice, each source's part in one transaction with the
 * deletion of the live rows and of the events' entries in the profile event index. Profiles keep
 * what the events made of them. Events the processor set aside (not applied) stay in the inbox.
 */
final class Archiver {
    /** At most this many set-aside events are looked at a slice; when there are more, the slice stops at the last one looked at. */
    private static final int SET_ASIDE_LIMIT = 100_000;

    private final Database database;
    private final Archive archive;
    private final ObjectMapper mapper;
    private final Sources sources;
    private final Retentions retentions;
    private final ProfileReader profiles;
    private final Processor processor;
    private final LongSupplier cursor;
    private final Clock clock;
    private final int slice;
    private int next;
    private volatile Progress progress = new Progress("idle", "rows", 0, 0, null);
    private long passDone;
    private Instant passStartedAt;

    record Parts(Database database, Archive archive, Sources sources, ProfileReader profiles, Processor processor) {}

    Archiver(Parts parts, ObjectMapper mapper, Retentions retentions, LongSupplier cursor, Clock clock, int slice) {
        this.database = parts.database();
        this.archive = parts.archive();
        this.sources = parts.sources();
        this.profiles = parts.profiles();
        this.processor = parts.processor();
        this.mapper = mapper;
        this.retentions = retentions;
        this.cursor = cursor;
        this.clock = clock;
        this.slice = slice;
    }

    /** Archives at most one slice of rows; false when nothing was due. */
    boolean slice() {
        List<Source> all = sources.list();
        if (all.isEmpty()) {
            return false;
        }
        long now = clock.millis();
        List<SetAsideEvent> open = processor.setAside(0, SET_ASIDE_LIMIT, false);
        Set<Long> setAside = new HashSet<>();
        open.forEach(e -> setAside.add(e.seq()));
        long upTo = open.size() < SET_ASIDE_LIMIT
                ? cursor.getAsLong()
                : Math.min(cursor.getAsLong(), open.get(open.size() - 1).seq());
        int budget = slice;
        boolean any = false;
        for (int i = 0; i < all.size() && budget > 0; i++) {
            Source source = all.get((next + i) % all.size());
            Retention r = retentions.of(source);
            int room = budget;
            int[] moved = database.inTransactionWithInbox(h -> {
                archive.lockForWrite(h);
                List<Long> seqs = InboxAging.archiveEvents(
                        h,
                        archive,
                        mapper,
                        source.id(),
                        upTo,
                        now - r.events().toMillis(),
                        room,
                        seq -> !setAside.contains(seq),
                        s -> profiles.profilesOf(h, s));
                profiles.forgetEvents(h, seqs);
                int refused = InboxAging.archiveQuarantined(
                        h, archive, mapper, source.id(), now - r.quarantine().toMillis(), room - seqs.size());
                return new int[] {seqs.size(), refused};
            });
            if (moved[0] + moved[1] > 0) {
                if (!any && passStartedAt == null) {
                    passStartedAt = clock.instant();
                }
                any = true;
                passDone += moved[0] + moved[1];
                budget -= moved[0] + moved[1];
                if (budget <= 0) {
                    // the next slice starts with the source that filled this one, so no source waits behind another
                    next = (next + i) % all.size();
                }
            }
        }
        progress = any
                ? new Progress("archiving", "rows", passDone, -1, passStartedAt)
                : new Progress("idle", "rows", passDone, 0, passStartedAt);
        if (!any) {
            passStartedAt = null;
            passDone = 0;
        }
        return any;
    }

    Progress progress() {
        return progress;
    }
}
