package dev.tandem.kpi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** KPI values read from the buckets, as the API answers them: never from the events. */
final class KpiQuery {
    private final KpiStore store;
    private final DimensionGuard guard;

    /** @param guard screens stored values again as they are read: those stored before a field was found personal */
    KpiQuery(KpiStore store, DimensionGuard guard) {
        this.store = store;
        this.guard = guard;
    }

    /**
     * The value over the period: the total, or one value of a dimension when {@code dimension} is not
     * null; a value with fewer than {@link DimensionGuard#MIN_GROUP} answers has none (and no n).
     */
    Estimate measured(KpiDefinition d, Period p, String dimension, String member) {
        if (dimension != null && DimensionGuard.WITHHELD.equals(guard.member(member))) {
            return Estimate.none(0);
        }
        Totals sum = Totals.NONE;
        List<KpiStore.Row> rows = dimension == null
                ? store.days(d.key(), p.from().toString(), p.to().toString())
                : store.members(d.key(), dimension, p.from().toString(), p.to().toString());
        for (KpiStore.Row r : rows) {
            if (dimension == null || r.member().equals(member)) {
                sum = sum.plus(r.totals());
            }
        }
        if (dimension != null && !DimensionGuard.listable(sum.n())) {
            return Estimate.none(0);
        }
        return Statistics.of(d.measure(), sum);
    }

    /** One KPI for {@code GET /v1/kpis}: value, interval, status and the daily trend. */
    Map<String, Object> summary(KpiDefinition d, Period p) {
        Map<String, Totals> byDay = new TreeMap<>();
        Totals all = Totals.NONE;
        for (KpiStore.Row r : store.days(d.key(), p.from().toString(), p.to().toString())) {
            byDay.merge(r.day(), r.totals(), Totals::plus);
            all = all.plus(r.totals());
        }
        Map<String, Object> out = head(d, Statistics.of(d.measure(), all));
        List<Map<String, Object>> trend = new ArrayList<>();
        for (LocalDate day = p.from(); !day.isAfter(p.to()); day = day.plusDays(1)) {
            Estimate e = Statistics.of(d.measure(), byDay.getOrDefault(day.toString(), Totals.NONE));
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("date", day.toString());
            point.put("value", number(e.value()));
            point.put("n", e.n());
            trend.add(point);
        }
        out.put("trend", trend);
        return out;
    }

    /** One KPI for {@code GET /v1/kpis/{key}}: breakdown by a dimension, a series, the previous period compared. */
    Map<String, Object> detail(KpiDefinition d, Period p, String by, Period.Interval interval) {
        Period before = p.previous();
        Totals now = Totals.NONE;
        Totals then = Totals.NONE;
        Map<String, Totals> members = new TreeMap<>();
        Map<LocalDate, Totals> periods = new TreeMap<>();
        for (KpiStore.Row r : store.days(d.key(), p.from().toString(), p.to().toString())) {
            now = now.plus(r.totals());
            periods.merge(interval.start(LocalDate.parse(r.day())), r.totals(), Totals::plus);
        }
        if (by != null) {
            for (KpiStore.Row r : store.members(d.key(), by, p.from().toString(), p.to().toString())) {
                members.merge(guard.member(r.member()), r.totals(), Totals::plus);
            }
        }
        // the previous period needs only the totals
        for (KpiStore.Row r :
                store.days(d.key(), before.from().toString(), before.to().toString())) {
            then = then.plus(r.totals());
        }
        Estimate value = Statistics.of(d.measure(), now);
        Map<String, Object> out = head(d, value);
        out.put("from", p.from().toString());
        out.put("to", p.to().toString());
        out.put("by", by);
        out.put("interval", interval.name().toLowerCase(java.util.Locale.ROOT));
        List<Map<String, Object>> breakdown = new ArrayList<>();
        final Totals total = now;
        // values with too few answers to stand alone are counted, not listed
        long withheldValues = 0;
        long withheldAnswers = 0;
        for (var it = members.entrySet().iterator(); it.hasNext(); ) {
            var m = it.next();
            if (!DimensionGuard.listable(m.getValue().n())) {
                withheldValues++;
                withheldAnswers += m.getValue().n();
                it.remove();
            }
        }
        members.entrySet().stream()
                .sorted((a, b) -> a.getValue().n() != b.getValue().n()
                        ? Long.compare(b.getValue().n(), a.getValue().n())
                        : a.getKey().compareTo(b.getKey()))
                .forEach(m -> {
                    Estimate e = Statistics.of(d.measure(), m.getValue());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("value", m.getKey());
                    row.put("kpi", number(e.value()));
                    row.put("ci", ci(e));
                    row.put("n", e.n());
                    // against the answers of every other value of the dimension (when each answer has one value)
                    Totals rest = total.minus(m.getValue());
                    row.put("vsRest", compared(d, e, Statistics.of(d.measure(), rest), m.getValue(), rest));
                    breakdown.add(row);
                });
        out.put("breakdown", breakdown);
        if (by != null) {
            Map<String, Object> withheld = new LinkedHashMap<>();
            withheld.put("values", withheldValues);
            withheld.put("n", withheldAnswers);
            withheld.put("minimum", DimensionGuard.MIN_GROUP);
            out.put("withheld", withheld);
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (LocalDate start = interval.start(p.from()); !start.isAfter(p.to()); start = interval.next(start)) {
            Estimate e = Statistics.of(d.measure(), periods.getOrDefault(start, Totals.NONE));
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("date", start.toString());
            point.put("value", number(e.value()));
            point.put("ci", ci(e));
            point.put("n", e.n());
            series.add(point);
        }
        out.put("series", series);
        Estimate previous = Statistics.of(d.measure(), then);
        Map<String, Object> compare = new LinkedHashMap<>();
        compare.put("from", before.from().toString());
        compare.put("to", before.to().toString());
        compare.put("value", number(previous.value()));
        compare.put("previousCi", ci(previous));
        compare.put("n", previous.n());
        // "ci" here is the difference's, as in every comparison
        compare.putAll(compared(d, value, previous, now, then));
        out.put("compare", compare);
        return out;
    }

    private static Map<String, Object> compared(KpiDefinition d, Estimate a, Estimate b, Totals ta, Totals tb) {
        Statistics.Difference diff = Statistics.difference(d.measure(), a, b, ta, tb);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("difference", number(diff.value()));
        out.put("ci", Double.isNaN(diff.low()) ? null : List.of(round(diff.low()), round(diff.high())));
        out.put("significant", diff.significant());
        return out;
    }

    static Map<String, Object> head(KpiDefinition d, Estimate e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", d.key());
        out.put("name", d.about().name());
        out.put("type", d.type());
        out.put("owners", d.about().owners());
        out.put("value", number(e.value()));
        out.put("ci", ci(e));
        out.put("n", e.n());
        out.put("target", d.about().target());
        out.put("status", status(d, e));
        return out;
    }

    /** met when the value is at or above the target, below under it, no_data without answers, no_target without a target. */
    static String status(KpiDefinition d, Estimate e) {
        if (!e.hasValue() || e.n() == 0) {
            return "no_data";
        }
        if (d.about().target() == null) {
            return "no_target";
        }
        return e.value() >= d.about().target() ? "met" : "below";
    }

    static List<Double> ci(Estimate e) {
        return e.hasInterval() ? List.of(round(e.low()), round(e.high())) : null;
    }

    static Double number(double v) {
        return Double.isNaN(v) ? null : round(v);
    }

    static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }
}
