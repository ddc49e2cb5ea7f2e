package dev.tandem.kpi;

import dev.tandem.audience.Memberships;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ValueExpression;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Membership;
import dev.tandem.pipeline.Stage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The {@code kpi} stage: every event is held against every KPI in force, and one that counts adds to
 * the bucket of its UTC day, for the KPI's total and for each dimension value it has. A batch writes
 * what it added in its own transaction, one upsert per bucket it touched, so the buckets and the
 * cursor cannot disagree and a replay from the start ({@link #reset}) adds them up again the same way.
 */
final class KpiStage implements Stage {
    private static final int MAX_MEMBER = 100;
    /** Values a dimension keeps apart; more (an id used as a dimension) are counted under {@link #OTHER}. */
    static final int MAX_VALUES = 500;

    static final String OTHER = "(other)";

    private final KpiCatalog catalog;
    private final Memberships memberships;
    private final Windows windows;
    private final DimensionGuard guard;
    private final KpiStore store;
    /** The values each dimension has stored, by KPI and dimension: read once, then kept up to date. */
    private final Map<String, Set<String>> storedValues = new HashMap<>();

    private final Map<Tally.Key, Tally> tallies = new HashMap<>();
    private Map<Windows.Owner, Windows.Window> open = Map.of();
    private final Map<Long, String> days = new HashMap<>();
    /*
     * Why: KPIs over the same answers share their expressions (ten KPIs on one survey event test the
     * same condition and read the same score), so each is evaluated once per event. Conditions are
     * compiled once per text (the same instance), values are keyed by their text. Cleared per event.
     */
    private final Map<Expression, Boolean> conditions = new java.util.IdentityHashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    /** The KPIs {@link #named} was read for, the names each can count (null: any), and all of them (null: any). */
    private List<KpiDefinition> narrowed;

    private List<Set<String>> named = List.of();
    private Set<String> anyNamed;

    KpiStage(KpiCatalog catalog, Memberships memberships, Windows windows, DimensionGuard guard, KpiStore store) {
        this.catalog = catalog;
        this.memberships = memberships;
        this.windows = windows;
        this.guard = guard;
        this.store = store;
    }

    @Override
    public String name() {
        return "kpi";
    }

    @Override
    public Set<Change> reads() {
        return Set.of(Change.MEMBERSHIPS);
    }

    @Override
    public Set<Change> writes() {
        return Set.of();
    }

    @Override
    public void process(Batch batch) {
        List<KpiDefinition> kpis = catalog.all();
        if (kpis.isEmpty() || batch.isEmpty()) {
            return;
        }
        boolean audiences = false;
        boolean conversions = false;
        for (KpiDefinition k : kpis) {
            audiences |= k.readsAudiences();
            conversions |= k.measure() instanceof Measure.Conversion;
        }
        if (conversions) {
            Set<Long> profiles = new LinkedHashSet<>();
            batch.items().forEach(i -> {
                if (i.profileId() != 0) {
                    profiles.add(i.profileId());
                }
            });
            open = new HashMap<>(windows.latest(profiles));
        }
        narrow(kpis);
        Map<Long, List<String>> audiencesOf = audiences ? new HashMap<>() : null;
        for (BatchItem item : batch.items()) {
            String name = Facts.eventName(item.event());
            if (anyNamed != null && !anyNamed.contains(name)) {
                continue; // no KPI counts an event of this name: skip building its variables
            }
            Map<String, Object> vars = Facts.event(item.event());
            if (audiences) {
                vars.put("audiences", audiencesOf.computeIfAbsent(item.profileId(), p -> audiencesOf(p, batch)));
            }
            String day = day(item.timestamp());
            conditions.clear();
            values.clear();
            for (int i = 0; i < kpis.size(); i++) {
                Set<String> needs = named.get(i);
                if (needs == null || needs.contains(name)) {
                    count(kpis.get(i), item, vars, day);
                }
            }
        }
    }

    /** Reads the event names each KPI can count (see {@link EventNames}) when the KPIs in force changed. */
    private void narrow(List<KpiDefinition> kpis) {
        if (kpis == narrowed) {
            return;
        }
        List<Set<String>> each = new ArrayList<>(kpis.size());
        Set<String> union = new java.util.HashSet<>();
        for (KpiDefinition k : kpis) {
            Set<String> names = EventNames.of(k);
            each.add(names);
            if (names == null) {
                union = null;
            } else if (union != null) {
                union.addAll(names);
            }
        }
        named = each;
        anyNamed = union;
        narrowed = kpis;
    }

    private void count(KpiDefinition k, BatchItem item, Map<String, Object> vars, String day) {
        Tally t = new Tally();
        switch (k.measure()) {
            case Measure.Nps m -> {
                Double v = matched(m.events(), vars) ? number(m.value(), vars) : null;
                if (v == null || v != Math.rint(v) || v < 0 || v > 10) {
                    return;
                }
                answer(t, v);
                if (v >= 9) {
                    t.promoters = 1;
                } else if (v >= 7) {
                    t.passives = 1;
                } else {
                    t.detractors = 1;
                }
            }
            case Measure.TopBox m -> {
                Double v = matched(m.events(), vars) ? number(m.value(), vars) : null;
                if (v == null || !m.scale().holds(v)) {
                    return;
                }
                answer(t, v);
                t.promoters = m.box().holds(v) ? 1 : 0;
            }
            case Measure.Mean m -> {
                Double v = matched(m.events(), vars) ? number(m.value(), vars) : null;
                if (v == null) {
                    return;
                }
                answer(t, v);
            }
            case Measure.Sum m -> {
                Double v = matched(m.events(), vars) ? number(m.value(), vars) : null;
                if (v == null) {
                    return;
                }
                answer(t, v);
            }
            case Measure.Count m -> {
                if (!matched(m.events(), vars)) {
                    return;
                }
                t.n = 1;
            }
            case Measure.Ratio m -> {
                if (!matched(m.denominator(), vars)) {
                    return;
                }
                t.n = 1;
                t.promoters = matched(m.numerator(), vars) ? 1 : 0;
            }
            case Measure.Conversion m -> {
                convert(k, m, item, vars, day);
                return;
            }
        }
        add(k.key(), day, members(k, vars), t);
    }

    /** A numerator event converts the profile's open window; a denominator event opens one when none is open. */
    private void convert(KpiDefinition k, Measure.Conversion m, BatchItem item, Map<String, Object> vars, String day) {
        if (item.profileId() == 0) {
            return;
        }
        Windows.Owner owner = new Windows.Owner(k.key(), item.profileId());
        Windows.Window w = open.get(owner);
        boolean live = w != null
                && !w.converted
                && item.timestamp() >= w.startedAt
                && item.timestamp() - w.startedAt <= m.window().toMillis();
        if (live && matched(m.numerator(), vars)) {
            w.converted = true;
            w.changed = true;
            Tally t = new Tally();
            t.promoters = 1;
            add(k.key(), w.day, w.members, t);
            return;
        }
        if (!live && matched(m.denominator(), vars)) {
            Windows.Window started =
                    new Windows.Window(k.key(), item.profileId(), item.timestamp(), day, members(k, vars));
            started.fresh = true;
            started.changed = true;
            open.put(owner, started);
            Tally t = new Tally();
            t.n = 1;
            add(k.key(), day, started.members, t);
        }
    }

    private static void answer(Tally t, double v) {
        t.n = 1;
        t.total = v;
        t.squares = v * v;
    }

    private void add(String kpi, String day, List<String[]> members, Tally t) {
        tallies.computeIfAbsent(new Tally.Key(kpi, "", "", day), x -> new Tally())
                .add(t);
        for (String[] m : members) {
            tallies.computeIfAbsent(new Tally.Key(kpi, m[0], m[1], day), x -> new Tally())
                    .add(t);
        }
    }

    /** The event's value of each dimension: a list counts the event under each of its elements; no value, no bucket. */
    private List<String[]> members(KpiDefinition k, Map<String, Object> vars) {
        if (k.by().isEmpty()) {
            return List.of();
        }
        List<String[]> out = new ArrayList<>(k.by().size());
        for (var d : k.by().entrySet()) {
            Object v = value(d.getValue(), vars);
            if (v instanceof Collection<?> many) {
                new LinkedHashSet<>(many).forEach(e -> member(k.key(), d.getKey(), e, out));
            } else {
                member(k.key(), d.getKey(), v, out);
            }
        }
        return out;
    }

    private void member(String kpi, String dimension, Object v, List<String[]> out) {
        String text = switch (v) {
            case String s -> s;
            case Long l -> l.toString();
            case Double x -> KpiDefinition.plain(x);
            case Boolean b -> b.toString();
            case null, default -> null;
        };
        if (text == null) {
            return;
        }
        text = text.replaceAll("\\p{Cntrl}", " ").strip();
        if (text.isEmpty()) {
            return;
        }
        text = guard.member(text.length() > MAX_MEMBER ? text.substring(0, MAX_MEMBER) : text);
        Set<String> values =
                storedValues.computeIfAbsent(kpi + '\0' + dimension, x -> store.memberNames(kpi, dimension));
        if (!values.contains(text)) {
            if (values.size() >= MAX_VALUES) {
                text = OTHER;
            } else {
                values.add(text);
            }
        }
        out.add(new String[] {dimension, text});
    }

    private boolean matched(Expression e, Map<String, Object> vars) {
        Boolean known = conditions.get(e);
        if (known == null) {
            known = e.evaluate(vars).matched();
            conditions.put(e, known);
        }
        return known;
    }

    private Object value(ValueExpression e, Map<String, Object> vars) {
        Object v = values.get(e.source());
        if (v == null && !values.containsKey(e.source())) {
            v = e.evaluate(vars).value();
            values.put(e.source(), v);
        }
        return v;
    }

    private Double number(ValueExpression e, Map<String, Object> vars) {
        Object v = value(e, vars);
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }

    /** The audiences the profile is in as this batch left it: committed, then this batch's entries and exits. */
    private List<String> audiencesOf(long profile, Batch batch) {
        if (profile == 0) {
            return List.of();
        }
        Set<String> keys = new LinkedHashSet<>(memberships.keysOf(profile));
        for (Membership m : batch.changes().memberships()) {
            if (m.profileId() == profile) {
                String key = memberships.keyOf(m.audienceId());
                if (key != null && m.entered()) {
                    keys.add(key);
                } else if (key != null) {
                    keys.remove(key);
                }
            }
        }
        return List.copyOf(keys);
    }

    private String day(long millis) {
        return days.computeIfAbsent(
                Math.floorDiv(millis, 86_400_000L), d -> LocalDate.ofEpochDay(d).toString());
    }

    @Override
    public void write(Handle transaction) {
        KpiStore.add(transaction, tallies);
        if (!open.isEmpty()) {
            Windows.write(transaction, open.values());
        }
    }

    @Override
    public void committed() {
        clear();
    }

    @Override
    public void discard() {
        clear();
    }

    private void clear() {
        tallies.clear();
        open = Map.of();
        if (days.size() > 10_000) {
            days.clear();
        }
    }

    @Override
    public void reset(Handle transaction) {
        KpiStore.reset(transaction);
        storedValues.clear();
    }

    @Override
    public void erase(Handle transaction, Collection<Long> profiles) {
        Windows.erase(transaction, profiles);
    }
}
