package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ProfileView;
import dev.tandem.expr.ValueExpression;
import dev.tandem.govern.Decision;
import dev.tandem.govern.Flow;
import dev.tandem.govern.Gate;
import dev.tandem.govern.Subject;
import dev.tandem.profile.ProfileReader;
import dev.tandem.wire.EventTime;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Walks one instance from its step as far as it goes now: until a wait, the end, or an exit. It
 * decides, and says what to write (the instance moved, its transitions, the messages to append,
 * the traits to set); the runner writes it all in one transaction. A dry run walks the same way
 * through waits at once (a wait_for as timed out), asks the gate without logging, and sends nothing.
 * A step that reads a new trait of the profile must be named in {@link Journey#traitsRead}: a dry
 * run decrypts only those.
 */
final class Walker {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Walker.class);
    /** A message owed to a destination, and the cap count it adds to. */
    record Send(String destination, long profile, ObjectNode message, String channel, String day, boolean counted) {}

    /** A trait set by an update step. */
    record TraitSet(long profile, String messageId, String trait, Object value) {}

    /** What a walk changed. */
    record Walked(
            Instance instance, List<JourneyStore.Transition> transitions, List<Send> sends, List<TraitSet> traits) {}

    /**
     * What a walk reads about its profile; {@code inAudience} tells whether it is in an audience now
     * (read only when a {@code wait_for} an audience is reached).
     */
    record Subjectly(
            ProfileView view,
            Map<String, List<String>> identifiers,
            ProfileReader.Consent consent,
            java.util.function.Predicate<String> inAudience) {}

    private static final int MAX_STEPS = 256;

    private final Gate gate;
    private final Function<String, Optional<Flow>> flows;
    private final Map<String, Integer> caps;
    private final ObjectMapper mapper;
    private final BiConsumer<String, JsonNode> opener;
    private final boolean dry;

    Walker(
            Gate gate,
            Function<String, Optional<Flow>> flows,
            Map<String, Integer> caps,
            ObjectMapper mapper,
            BiConsumer<String, JsonNode> opener,
            boolean dry) {
        this.opener = opener;
        this.gate = gate;
        this.flows = flows;
        this.caps = caps;
        this.mapper = mapper;
        this.dry = dry;
    }

    /**
     * @param counts sends per "profile|channel|day" so far (read from the store, added to as this walk sends)
     */
    Walked walk(Instance at, Journey journey, Subjectly who, Instant now, Map<String, Integer> counts) {
        List<JourneyStore.Transition> transitions = new ArrayList<>();
        List<Send> sends = new ArrayList<>();
        List<TraitSet> traits = new ArrayList<>();
        long t = now.toEpochMilli();
        String path = at.step();
        String status = at.status();
        Long due = null;
        String exit = null;
        Map<String, Object> facts = null;
        if (status.equals(Instance.NEW)) {
            transitions.add(transition(at, "-", "entered", t, null));
            status = Instance.ACTIVE;
        }
        for (int n = 0; n < MAX_STEPS && path != null; n++) {
            Step step = journey.at(path);
            if (step == null) {
                path = null;
                break;
            }
            boolean wasWaiting = status.equals(Instance.WAITING);
            status = Instance.ACTIVE;
            switch (step) {
                case Step.Wait w -> {
                    if (wasWaiting) {
                        transitions.add(transition(at, path, "advanced", t, null));
                        path = journey.next(path);
                        continue;
                    }
                    Instant end = Timing.due(w, now, who.view());
                    if (end == null || !end.isAfter(now) || dry) {
                        transitions.add(
                                transition(at, path, dry ? "waiting" : "advanced", t, end == null ? "no date" : null));
                        if (dry) {
                            transitions.add(transition(at, path, "advanced", t, null));
                        }
                        path = journey.next(path);
                        continue;
                    }
                    transitions.add(transition(at, path, "waiting", t, null));
                    status = Instance.WAITING;
                    due = end.toEpochMilli();
                }
                case Step.WaitFor w -> {
                    if (!wasWaiting && w.audience() != null && who.inAudience().test(w.audience())) {
                        // already a member when the step is reached: it goes on at once
                        transitions.add(transition(at, path, "arrived", t, "already in " + w.audience()));
                        path = journey.next(path);
                        continue;
                    }
                    if (wasWaiting || dry) {
                        if (dry) {
                            transitions.add(transition(at, path, "waiting", t, null));
                        }
                        transitions.add(transition(at, path, "timeout", t, null));
                        path = journey.into(path, 0);
                        continue;
                    }
                    transitions.add(transition(at, path, "waiting", t, null));
                    status = Instance.WAITING;
                    due = now.plus(w.timeout()).toEpochMilli();
                }
                case Step.Branch b -> {
                    facts = facts == null ? facts(who, at) : facts;
                    int chosen = -1;
                    for (int c = 0; c < b.cases().size() && chosen < 0; c++) {
                        Step.Case k = b.cases().get(c);
                        if (k.when() == null || k.when().evaluate(facts).matched()) {
                            chosen = c;
                        }
                    }
                    transitions.add(transition(
                            at,
                            path,
                            "advanced",
                            t,
                            chosen < 0 ? "none" : b.cases().get(chosen).name()));
                    path = chosen < 0 ? journey.next(path) : journey.into(path, chosen);
                    continue;
                }
                case Step.Split s -> {
                    int bucket = Timing.bucket(at.journey(), Long.toString(at.profileId()), path);
                    int arm = 0;
                    for (int sum = s.arms().get(0).percent();
                            bucket >= sum;
                            sum += s.arms().get(arm).percent()) {
                        arm++;
                    }
                    transitions.add(transition(
                            at, path, "advanced", t, s.arms().get(arm).name()));
                    path = journey.into(path, arm);
                    continue;
                }
                case Step.Send s -> {
                    String outcome = send(at, journey, path, s, who, now, counts, sends);
                    transitions.add(transition(at, path, outcome, t, null));
                    if (outcome.equals("denied")) {
                        exit = "consent";
                        path = null;
                        break;
                    }
                    path = journey.next(path);
                    continue;
                }
                case Step.Update u -> {
                    facts = facts == null ? facts(who, at) : facts;
                    ValueExpression.Outcome v = u.value().evaluate(facts);
                    if (v.failed()) {
                        transitions.add(transition(at, path, "failed", t, v.error()));
                    } else {
                        String id = Timing.sendId(at.journey(), at.version(), at.profileId(), at.entryKey(), path);
                        traits.add(new TraitSet(at.profileId(), id, u.trait(), v.value()));
                        transitions.add(transition(at, path, "updated", t, null));
                    }
                    path = journey.next(path);
                    continue;
                }
                case Step.Exit e -> {
                    exit = e.reason();
                    transitions.add(transition(at, path, "exited", t, e.reason()));
                    path = null;
                }
            }
            break;
        }
        Instance moved;
        if (exit != null) {
            if (!transitions.get(transitions.size() - 1).outcome().equals("exited")) {
                transitions.add(transition(at, "-", "exited", t, exit));
            }
            moved = with(at, at.step(), Instance.EXITED, null, exit);
        } else if (path == null) {
            transitions.add(transition(at, "-", "done", t, null));
            moved = with(at, at.step(), Instance.DONE, null, null);
        } else {
            moved = with(at, path, status, due, null);
        }
        return new Walked(moved, transitions, sends, traits);
    }

    /** The frequency cap of a channel, sends per profile per local day; null when it has none. */
    Integer cap(String channel) {
        return caps.get(channel);
    }

    private String send(
            Instance at,
            Journey journey,
            String path,
            Step.Send s,
            Subjectly who,
            Instant now,
            Map<String, Integer> counts,
            List<Send> sends) {
        if (at.holdout()) {
            return "held";
        }
        ZoneId zone = Timing.zone(who.view());
        String day = Timing.day(now, zone);
        String countKey = at.profileId() + "|" + s.channel() + "|" + day;
        Integer cap = caps.get(s.channel());
        if (!s.exempt() && cap != null && counts.getOrDefault(countKey, 0) >= cap) {
            return "capped";
        }
        Optional<Flow> flow = flows.apply(s.destination());
        if (flow.isEmpty()) {
            return "failed";
        }
        ObjectNode message = message(at, path, s, who, now);
        ProfileReader.Consent c = who.consent();
        Subject subject = c == null ? Subject.NONE : new Subject(at.profileId(), c.allowed(), c.gpc());
        Decision decision = dry ? gate.ask(flow.get(), subject, message) : gate.decide(flow.get(), subject, message);
        if (decision instanceof Decision.Deny) {
            return "denied";
        }
        if (!s.exempt()) {
            counts.merge(countKey, 1, Integer::sum);
        }
        sends.add(new Send(s.destination(), at.profileId(), message, s.channel(), day, !s.exempt()));
        return "sent";
    }

    private ObjectNode message(Instance at, String path, Step.Send s, Subjectly who, Instant now) {
        String id = Timing.sendId(at.journey(), at.version(), at.profileId(), at.entryKey(), path);
        ObjectNode m = mapper.createObjectNode();
        m.put("type", "track");
        m.put("event", "Journey Step");
        m.put("messageId", id);
        first(who.identifiers(), "user_id").ifPresent(v -> m.put("userId", v));
        first(who.identifiers(), "anonymous_id").ifPresent(v -> m.put("anonymousId", v));
        m.put("timestamp", EventTime.format(now));
        ObjectNode p = m.putObject("properties");
        p.put("journey", at.journey());
        p.put("version", at.version());
        p.put("step", path);
        p.put("send_id", id);
        p.put("entry_key", at.entryKey());
        p.set("message", s.message().deepCopy());
        m.putObject("context").putObject("tandem").put("profileId", Long.toString(at.profileId()));
        return m;
    }

    private static Optional<String> first(Map<String, List<String>> ids, String type) {
        List<String> values = ids == null ? null : ids.get(type);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private Map<String, Object> facts(Subjectly who, Instance at) {
        String context = at.context();
        JsonNode event = mapper.createObjectNode();
        if (context != null) { // entered on an audience or a schedule: no event
            try {
                JsonNode stored = mapper.readTree(context);
                opener.accept(context, stored); // the entering event's sealed values; gone once its subject is erased
                event = stored;
            } catch (IOException | RuntimeException e) {
                // a context that does not read walks on as an entry without an event: one odd row must not stop
                // the slice it is in, which would be retried for ever
                log.atWarn()
                        .setCause(e)
                        .addKeyValue("journey", at.journey())
                        .addKeyValue("instance", at.id())
                        .log("a journey instance's entering event could not be read; it walks without it");
            }
        }
        return Facts.mapping(
                Facts.profile(who.view(), who.identifiers() == null ? Map.of() : who.identifiers()), event);
    }

    private static JourneyStore.Transition transition(Instance at, String step, String outcome, long t, String detail) {
        return new JourneyStore.Transition(at.id(), at.journey(), at.version(), step, outcome, t, detail);
    }

    private static Instance with(Instance i, String step, String status, Long due, String exit) {
        return new Instance(
                i.id(),
                i.journey(),
                i.profileId(),
                i.entryKey(),
                i.version(),
                step,
                status,
                i.holdout(),
                i.enteredAt(),
                due,
                i.context(),
                i.convertedAt(),
                exit,
                i.entrySeq());
    }
}
