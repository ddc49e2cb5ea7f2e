package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ValueExpression;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Membership;
import dev.tandem.pipeline.Stage;
import dev.tandem.schedule.Scheduler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * waiting for an event that arrived. Nothing is sent from here.
 */
final class JourneyStage implements Stage {
    private record Entering(Instance instance) {}

    private record Arrival(long instance, String fromStep, String toStep, String journey, int version) {}

    private final JourneyBook book;
    private final JourneyStore store;
    private final LongFunction<String> audienceKeys;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Map<String, Entering> entering = new LinkedHashMap<>();
    private final List<long[]> conversions = new ArrayList<>();
    private final List<String> conversionJourneys = new ArrayList<>();
    private final List<Instance> exits = new ArrayList<>();
    private final List<Arrival> arrivals = new ArrayList<>();

    private final String jobKey;

    /** @param jobKey the key of this process's {@code journeys.advance} job */
    JourneyStage(
            JourneyBook book,
            JourneyStore store,
            LongFunction<String> audienceKeys,
            Scheduler scheduler,
            String jobKey,
            Clock clock) {
        this.jobKey = jobKey;
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

    @Override
    public void process(Batch batch) {
        discard();
        if (book.all().isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<Candidate> candidates = new ArrayList<>();
        Set<Long> watched = new HashSet<>();
        boolean watching = watchesEvents();
        Map<Long, List<BatchItem>> byProfile = new HashMap<>();
        for (BatchItem item : batch.items()) {
            if (item.profileId() == 0) {
                continue;
            }
            Map<String, Object> facts = null;
            for (JourneyBook.Versioned v : book.all()) {
                JourneyDefinition d = v.journey().definition();
                if (d.entry().event() != null) {
                    facts = facts == null ? Facts.event(item.event()) : facts;
                    if (d.entry().event().evaluate(facts).matched()) {
                        candidates.add(new Candidate(
                                v, item.profileId(), key(d.entry().key(), facts), item.seq(), item.event()));
                    }
                }
                if (d.goal() != null) {
                    facts = facts == null ? Facts.event(item.event()) : facts;
                    if (d.goal().event().evaluate(facts).matched()) {
                        conversions.add(new long[] {
                            item.profileId(), now - d.goal().within().toMillis(), now
                        });
                        conversionJourneys.add(d.key());
                    }
                }
            }
            if (watching) {
                watched.add(item.profileId());
                byProfile
                        .computeIfAbsent(item.profileId(), p -> new ArrayList<>())
                        .add(item);
            }
        }
        for (Membership m : batch.changes().memberships()) {
            if (!m.entered()) {
                continue;
            }
            String audience = audienceKeys.apply(m.audienceId());
            for (JourneyBook.Versioned v : book.all()) {
                if (audience != null
                        && audience.equals(v.journey().definition().entry().audience())) {
                    candidates.add(new Candidate(v, m.profileId(), null, m.seq(), null));
                }
            }
        }
        if (candidates.isEmpty() && watched.isEmpty()) {
            return;
        }
        Set<Long> profiles = new HashSet<>(watched);
        candidates.forEach(c -> profiles.add(c.profile()));
        Map<Long, List<Instance>> existing = new HashMap<>();
        store.jdbi()
                .useHandle(h -> store.ofProfiles(h, profiles)
                        .forEach(i -> existing.computeIfAbsent(i.profileId(), p -> new ArrayList<>())
                                .add(i)));
        for (Candidate c : candidates) {
            enter(c, existing.getOrDefault(c.profile(), List.of()), now);
        }
        if (watching) {
            watch(byProfile, existing);
        }
    }

    private record Candidate(JourneyBook.Versioned journey, long profile, String key, long seq, JsonNode event) {}

    private static String key(ValueExpression key, Map<String, Object> facts) {
        if (key == null) {
            return null;
        }
        ValueExpression.Outcome o = key.evaluate(facts);
        return o.failed() || o.value() == null ? "" : String.valueOf(o.value());
    }

    private void enter(Candidate c, List<Instance> existing, long now) {
        JourneyDefinition d = c.journey().journey().definition();
        String entryKey;
        if (c.key() != null) {
            entryKey = "k:" + c.key();
        } else if (d.reentry().rule().equals("once")) {
            entryKey = "";
        } else {
            entryKey = "#" + c.seq();
            long last = 0;
            for (Instance i : existing) {
                if (i.journey().equals(d.key())) {
                    if (!i.finished()) {
                        return; // one in flight: enter again once it is over
                    }
                    last = Math.max(last, i.enteredAt());
                }
            }
            for (Entering e : entering.values()) {
                if (e.instance().journey().equals(d.key()) && e.instance().profileId() == c.profile()) {
                    return;
                }
            }
            if (d.reentry().rule().equals("after")
                    && last > 0
                    && now - last < d.reentry().after().toMillis()) {
                return;
            }
        }
        String id = d.key() + "|" + c.profile() + "|" + entryKey;
        if (entering.containsKey(id)) {
            return;
        }
        for (Instance i : existing) {
            if (i.journey().equals(d.key()) && i.entryKey().equals(entryKey)) {
                return;
            }
        }
        boolean held = d.holdout() > 0 && Timing.bucket(d.key(), Long.toString(c.profile())) < d.holdout();
        entering.put(
                id,
                new Entering(new Instance(
                        0,
                        d.key(),
                        c.profile(),
                        entryKey,
                        c.journey().version(),
                        "0",
                        Instance.NEW,
                        held,
                        now,
                        now,
                        c.event() == null ? null : c.event().toString(),
                        null,
                        null)));
    }

    private boolean watchesEvents() {
        for (JourneyBook.Versioned v : book.all()) {
            if (v.journey().definition().exitWhen() != null || v.journey().hasWaitFor()) {
                return true;
            }
        }
        return false;
    }

    /** Exits on an {@code exitWhen} event and arrivals at {@code wait_for} steps, for the instances in flight. */
    private void watch(Map<Long, List<BatchItem>> items, Map<Long, List<Instance>> existing) {
        for (var e : existing.entrySet()) {
            List<BatchItem> events = items.get(e.getKey());
            if (events == null) {
                continue;
            }
            for (Instance i : e.getValue()) {
                if (i.finished() || i.status().equals(Instance.NEW)) {
                    continue;
                }
                Journey j = book.at(i.journey(), i.version());
                if (j == null) {
                    continue;
                }
                Step step = j.at(i.step());
                for (BatchItem item : events) {
                    Map<String, Object> facts = Facts.event(item.event());
                    if (j.definition().exitWhen() != null
                            && j.definition().exitWhen().evaluate(facts).matched()) {
                        exits.add(i);
                        break;
                    }
                    if (i.status().equals(Instance.WAITING)
                            && step instanceof Step.WaitFor w
                            && w.event().evaluate(facts).matched()) {
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
        long now = clock.millis();
        if (!entering.isEmpty()) {
            store.insert(
                    transaction,
                    entering.values().stream().map(Entering::instance).toList());
        }
        for (int k = 0; k < conversions.size(); k++) {
            long[] c = conversions.get(k);
            store.converted(transaction, conversionJourneys.get(k), c[0], c[1], c[2]);
        }
        List<JourneyStore.Transition> transitions = new ArrayList<>();
        for (Instance i : exits) {
            int n = transaction
                    .createUpdate("UPDATE journey_instances SET status = 'exited', due_at = NULL, "
                            + "exit_reason = 'exit event' WHERE id = :id AND status IN ('new', 'active', 'waiting')")
                    .bind("id", i.id())
                    .execute();
            if (n == 1) {
                transitions.add(new JourneyStore.Transition(
                        i.id(), i.journey(), i.version(), i.step(), "exited", now, "exit event"));
            }
        }
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

    @Override
    public void committed() {
        discard();
    }

    @Override
    public void discard() {
        entering.clear();
        conversions.clear();
        conversionJourneys.clear();
        exits.clear();
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
