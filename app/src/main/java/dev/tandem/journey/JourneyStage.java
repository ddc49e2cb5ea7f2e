package dev.tandem.journey;

import dev.tandem.expr.ValueExpression;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Membership;
import dev.tandem.pipeline.OverlappedWork;
import dev.tandem.pipeline.Stage;
import dev.tandem.schedule.Scheduler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import org.jdbi.v3.core.Handle;

/**
 * Where profiles enter journeys, in the batch's transaction: an event an entry matches, or an
 * audience entered ({@code MEMBERSHIPS}). The re-entry rule is checked against the profile's
 * instances; a new instance is due at once, and the runner walks it. The same pass marks goals
 * reached, ends instances whose journey's {@code exitWhen} event arrived, and wakes instances
 * waiting for an event that arrived. Nothing is sent from here. The checks run on the stage's own
 * thread while the earlier stages write ({@link OverlappedWork}); their writes commit with the batch.
 */
final class JourneyStage implements Stage {
    private record Arrival(long instance, String fromStep, String toStep, String journey, int version) {}

    private final JourneyBook book;
    private final JourneyStore store;
    private final LongFunction<String> audienceKeys;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Entering entering = new Entering();
    private final Goals goals = new Goals();
    private final List<Instance> exits = new ArrayList<>();
    private final List<Instance> leavers = new ArrayList<>();
    private final List<Arrival> arrivals = new ArrayList<>();

    private final String jobKey;
    private final OverlappedWork ahead;
    private EventChecks checks; // on the checks' thread only

    /** @param jobKey the key of this process's {@code journeys.advance} job */
    JourneyStage(
            JourneyBook book,
            JourneyStore store,
            LongFunction<String> audienceKeys,
            Scheduler scheduler,
            String jobKey,
            Clock clock,
            OverlappedWork ahead) {
        this.jobKey = jobKey;
        this.ahead = ahead;
        this.book = book;
        this.store = store;
        this.audienceKeys = audienceKeys;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "journeys";
    }

    @Override
    public Set<Change> reads() {
        return EnumSet.of(Change.MEMBERSHIPS);
    }

    @Override
    public Set<Change> writes() {
        return EnumSet.noneOf(Change.class);
    }

    /**
     * Starts the batch's entry, goal and exit checks on the stage's own thread; {@link #write} joins
     * them. Why: they evaluate each journey's conditions on each event and read the instances
     * those need ({@link InstancesNeeded}), and they need only what the earlier stages decided in
     * their process, so they overlap with those stages' writes.
     */
    @Override
    public void process(Batch batch) {
        discard();
        if (book.all().isEmpty()) {
            return;
        }
        long now = clock.millis();
        // copies: a stage added after this one may record memberships while the checks read them
        List<BatchItem> items = List.copyOf(batch.items());
        List<Membership> changed = List.copyOf(batch.changes().memberships());
        ahead.start(() -> decide(items, changed, now));
    }

    private void decide(List<BatchItem> items, List<Membership> changed, long now) {
        EventChecks checks = checks();
        JourneyBook.Cover cover = checks.cover();
        List<Candidate> candidates = new ArrayList<>();
        // by profile, the events some exit or wait_for may match: only their instances in flight are watched
        Map<Long, List<EventChecks.Outcomes>> watchedEvents = new HashMap<>();
        for (BatchItem item : items) {
            if (item.profileId() == 0) {
                continue;
            }
            EventChecks.Outcomes o = checks.of(item.event());
            int k = 0;
            for (JourneyBook.Versioned v : checks.journeys()) {
                JourneyDefinition d = v.journey().definition();
                if (o.enters(k)) {
                    candidates.add(
                            new Candidate(v, item.profileId(), key(d.entry().key(), o.facts()), item.seq(), true));
                }
                if (o.reachesGoal(k)) {
                    goals.reached(
                            item.profileId(), d.key(), now - d.goal().within().toMillis());
                }
                k++;
            }
            if (o.watched()) {
                watchedEvents
                        .computeIfAbsent(item.profileId(), p -> new ArrayList<>())
                        .add(o);
            }
        }
        boolean audiences = cover.audiences() || !cover.complete();
        List<Membership> memberships = new ArrayList<>();
        Set<Long> watched = new HashSet<>(watchedEvents.keySet());
        for (Membership m : changed) {
            if (audiences) {
                memberships.add(m);
                watched.add(m.profileId());
            }
            if (!m.entered()) {
                continue;
            }
            String audience = audienceKeys.apply(m.audienceId());
            for (JourneyBook.Versioned v : checks.journeys()) {
                JourneyDefinition.Entry entry = v.journey().definition().entry();
                if (audience != null && entry.schedule() == null && audience.equals(entry.audience())) {
                    candidates.add(new Candidate(v, m.profileId(), null, m.seq(), false));
                }
            }
        }
        if (candidates.isEmpty() && watched.isEmpty() && goals.isEmpty()) {
            return;
        }
        List<Goals.Unconverted> unconverted = new ArrayList<>();
        Map<Long, List<Instance>> existing =
                InstancesNeeded.read(store, candidates, watched, goals.profiles(), unconverted);
        for (Candidate c : candidates) {
            Instance i = Admission.admit(
                    c.journey(),
                    c.profile(),
                    c.key(),
                    "#" + c.seq(),
                    c.onEvent() ? c.seq() : null,
                    existing.getOrDefault(c.profile(), List.of()),
                    entering,
                    now);
            if (i != null) {
                entering.add(i);
            }
        }
        goals.convert(unconverted, entering, now);
        if (!watchedEvents.isEmpty()) {
            watch(watchedEvents, existing);
        }
        if (!memberships.isEmpty()) {
            watchAudiences(memberships, existing);
        }
    }

    /** The checks of the journeys live now, built again when a journey or the cover changed. */
    private EventChecks checks() {
        JourneyBook.Cover cover = book.cover();
        EventChecks known = checks;
        if (known == null || !known.isFor(book.all(), cover)) {
            known = new EventChecks(book.all(), cover);
            checks = known;
        }
        return known;
    }

    private static String key(ValueExpression key, Map<String, Object> facts) {
        if (key == null) {
            return null;
        }
        ValueExpression.Outcome o = key.evaluate(facts);
        return o.failed() || o.value() == null ? "" : String.valueOf(o.value());
    }

    /**
     * Arrivals at {@code wait_for} an audience the profile entered, and exits of instances whose
     * journey ends when the profile leaves an audience it left, in the order the batch changed them.
     */
    private void watchAudiences(List<Membership> memberships, Map<Long, List<Instance>> existing) {
        Set<Long> moved = new HashSet<>();
        for (Membership m : memberships) {
            String audience = audienceKeys.apply(m.audienceId());
            if (audience == null) {
                continue;
            }
            for (Instance i : existing.getOrDefault(m.profileId(), List.of())) {
                if (i.finished() || moved.contains(i.id())) {
                    continue;
                }
                Journey j = book.at(i.journey(), i.version());
                if (j == null) {
                    continue;
                }
                JourneyDefinition.ExitWhen exit = j.definition().exitWhen();
                if (!m.entered() && exit != null && audience.equals(exit.leftAudience())) {
                    leavers.add(i);
                    moved.add(i.id());
                } else if (m.entered()
                        && i.status().equals(Instance.WAITING)
                        && j.at(i.step()) instanceof Step.WaitFor w
                        && audience.equals(w.audience())) {
                    String next = j.next(i.step());
                    arrivals.add(new Arrival(i.id(), i.step(), next == null ? "-" : next, i.journey(), i.version()));
                    moved.add(i.id());
                }
            }
        }
    }

    /**
     * Exits on an {@code exitWhen} event and arrivals at {@code wait_for} steps, for the instances in
     * flight of the profiles whose events may move them.
     */
    private void watch(Map<Long, List<EventChecks.Outcomes>> events, Map<Long, List<Instance>> existing) {
        for (var e : events.entrySet()) {
            for (Instance i : existing.getOrDefault(e.getKey(), List.of())) {
                if (i.finished() || i.status().equals(Instance.NEW)) {
                    continue;
                }
                Journey j = book.at(i.journey(), i.version());
                if (j == null) {
                    continue;
                }
                Step step = j.at(i.step());
                JourneyDefinition.ExitWhen exit = j.definition().exitWhen();
                for (EventChecks.Outcomes o : e.getValue()) {
                    if (exit != null && exit.event() != null && o.holds(exit.event())) {
                        exits.add(i);
                        break;
                    }
                    if (i.status().equals(Instance.WAITING)
                            && step instanceof Step.WaitFor w
                            && w.event() != null
                            && o.holds(w.event())) {
                        String next = j.next(i.step());
                        arrivals.add(
                                new Arrival(i.id(), i.step(), next == null ? "-" : next, i.journey(), i.version()));
                        break;
                    }
                }
            }
        }
    }

    @Override
    public void write(Handle transaction) {
        ahead.join();
        long now = clock.millis();
        if (!entering.isEmpty()) {
            store.insert(transaction, entering.all());
        }
        store.converted(transaction, goals.converting(), now);
        List<JourneyStore.Transition> transitions = new ArrayList<>();
        exit(transaction, exits, "exit event", now, transitions);
        exit(transaction, leavers, "left audience", now, transitions);
        for (Arrival a : arrivals) {
            int n = transaction
                    .createUpdate("UPDATE journey_instances SET step = :to, status = 'active', due_at = :now "
                            + "WHERE id = :id AND step = :from AND status = 'waiting'")
                    .bind("to", a.toStep())
                    .bind("now", now)
                    .bind("id", a.instance())
                    .bind("from", a.fromStep())
                    .execute();
            if (n == 1) {
                transitions.add(new JourneyStore.Transition(
                        a.instance(), a.journey(), a.version(), a.fromStep(), "arrived", now, null));
            }
        }
        store.record(transaction, transitions);
        if (!entering.isEmpty() || !arrivals.isEmpty()) {
            scheduler.schedule(transaction, JourneyRunner.KIND, jobKey, clock.instant(), null);
        }
    }

    private static void exit(
            Handle transaction, List<Instance> instances, String reason, long now, List<JourneyStore.Transition> out) {
        for (Instance i : instances) {
            int n = transaction
                    .createUpdate("UPDATE journey_instances SET status = 'exited', due_at = NULL, "
                            + "exit_reason = :reason WHERE id = :id AND status IN ('new', 'active', 'waiting')")
                    .bind("reason", reason)
                    .bind("id", i.id())
                    .execute();
            if (n == 1) {
                out.add(new JourneyStore.Transition(
                        i.id(),
                        i.journey(),
                        i.version(),
                        i.status().equals(Instance.NEW) ? "-" : i.step(),
                        "exited",
                        now,
                        reason));
            }
        }
    }

    @Override
    public void committed() {
        discard();
    }

    @Override
    public void discard() {
        ahead.forget();
        entering.clear();
        goals.clear();
        exits.clear();
        leavers.clear();
        arrivals.clear();
    }

    @Override
    public void reset(Handle transaction) {
        // instances are keyed by their entry (an entry key or the entering seq): a replay enters nobody twice
    }

    @Override
    public void erase(Handle transaction, Collection<Long> profiles) {
        store.erase(transaction, profiles);
    }
}
