package dev.tandem.journey;

import dev.tandem.audience.Memberships;
import dev.tandem.expr.ProfileView;
import dev.tandem.profile.ProfileReader;
import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Lane;
import dev.tandem.schedule.Next;
import dev.tandem.schedule.Progress;
import dev.tandem.schedule.Scheduler;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entry on a schedule: one job per journey, {@code journeys.schedule} keyed by the journey, in the
 * pipeline lane. At each pass every member of the entry's audience (every profile without one)
 * is offered the journey by its re-entry rule, {@link #SLICE} profiles per run: each run writes in
 * one transaction the instances entered and how far the pass got ({@code journey_entry_passes}),
 * so a restart goes on after the last profile entered, and a repeated slice enters nobody twice
 * (an instance's entry key is the pass's due time). Passes missed while the server was down come
 * to one pass, at once.
 *
 * <p>The pipeline lane, as {@code journeys.advance}: the stage enters profiles on the same
 * thread, so the re-entry rule reads instances no one else is writing.
 */
final class ScheduledEntries implements Job {
    static final String KIND = "journeys.schedule";
    static final int SLICE = 2_000;

    /** Who a pass enters. */
    record Reads(Memberships memberships, ProfileReader profiles) {}

    private final JourneyBook book;
    private final JourneyStore store;
    private final EntryPasses passes;
    private final Reads reads;
    private final Scheduler scheduler;
    private final String advanceKey;
    private final Clock clock;
    private volatile Progress progress = new Progress("idle", "profiles", 0, -1, null);

    /** @param advanceKey the key of this process's {@code journeys.advance} job, woken when a slice entered someone */
    ScheduledEntries(
            JourneyBook book, JourneyStore store, Reads reads, Scheduler scheduler, String advanceKey, Clock clock) {
        this.book = book;
        this.store = store;
        this.passes = new EntryPasses(store.jdbi());
        this.reads = reads;
        this.scheduler = scheduler;
        this.advanceKey = advanceKey;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Lane lane() {
        return Lane.PIPELINE;
    }

    @Override
    public Optional<Progress> progress() {
        return Optional.of(progress);
    }

    /** Schedules the next pass of a journey entered on a schedule (at once when one is unfinished); others: nothing. */
    void live(JourneyBook.Versioned v) {
        JourneyDefinition.Schedule schedule = v.journey().definition().entry().schedule();
        if (schedule == null) {
            return;
        }
        long now = clock.millis();
        EntryPasses.Pass p = passes.startOrRead(
                v.journey().key(), first(schedule, now) - schedule.every().toMillis());
        long due = p.finished() ? Math.max(now, p.at() + schedule.every().toMillis()) : now;
        scheduler.schedule(KIND, v.journey().key(), Instant.ofEpochMilli(due), null);
    }

    /** The first pass of a journey going live at {@code now}: the next {@code at} (UTC), or one {@code every} later. */
    static long first(JourneyDefinition.Schedule schedule, long now) {
        if (schedule.at() == null) {
            return now + schedule.every().toMillis();
        }
        Instant t = Instant.ofEpochMilli(now);
        LocalDate day = t.atZone(ZoneOffset.UTC).toLocalDate();
        long at = day.atTime(schedule.at()).toInstant(ZoneOffset.UTC).toEpochMilli();
        return at >= now ? at : at + 86_400_000L;
    }

    @Override
    public Next run(Due due) {
        String key = due.key();
        JourneyBook.Versioned v = book.current(key);
        JourneyDefinition.Schedule schedule =
                v == null ? null : v.journey().definition().entry().schedule();
        if (schedule == null) {
            passes.forget(key); // removed, or no longer on a schedule
            return Next.done();
        }
        long now = clock.millis();
        long every = schedule.every().toMillis();
        EntryPasses.Pass p = passes.startOrRead(key, first(schedule, now) - every);
        if (p.finished()) {
            long latest = p.at() + Math.floorDiv(now - p.at(), every) * every;
            if (latest <= p.at()) {
                return Next.again(Instant.ofEpochMilli(p.at() + every));
            }
            p = new EntryPasses.Pass(latest, 0, 0, false); // passes missed meanwhile come to this one
        }
        EntryPasses.Pass pass = p;
        String audience = v.journey().definition().entry().audience();
        List<Long> slice = audience != null
                ? reads.memberships().members(audience, pass.after(), SLICE)
                : reads.profiles().page(pass.after(), SLICE, name -> false).stream()
                        .map(ProfileView::id)
                        .toList();
        boolean last = slice.size() < SLICE;
        EntryPasses.Pass next = store.jdbi().inTransaction(h -> {
            // writing first: on SQLite a transaction that reads first holds a snapshot it cannot turn
            // into a write once another connection (the outbox's delivery) wrote meanwhile (BUSY_SNAPSHOT)
            passes.save(h, key, pass);
            Map<Long, List<Instance>> existing = new HashMap<>();
            InstancesNeeded.ofProfiles(h, slice)
                    .forEach(i -> existing.computeIfAbsent(i.profileId(), k -> new ArrayList<>())
                            .add(i));
            Entering entering = new Entering();
            for (long profile : slice) {
                Instance i = Admission.admit(
                        v,
                        profile,
                        null,
                        "#s" + pass.at(),
                        null,
                        existing.getOrDefault(profile, List.of()),
                        entering,
                        now);
                if (i != null) {
                    entering.add(i);
                }
            }
            store.insert(h, entering.all());
            EntryPasses.Pass moved = new EntryPasses.Pass(
                    pass.at(), last ? 0 : slice.get(slice.size() - 1), pass.entered() + entering.size(), last);
            passes.save(h, key, moved);
            if (!entering.isEmpty()) {
                scheduler.schedule(h, JourneyRunner.KIND, advanceKey, Instant.ofEpochMilli(now), null);
            }
            return moved;
        });
        progress = new Progress(
                last ? "idle" : "entering " + key, "profiles", next.entered(), -1, Instant.ofEpochMilli(pass.at()));
        return last ? Next.again(Instant.ofEpochMilli(Math.max(now, pass.at() + every))) : Next.again(clock.instant());
    }
}
