package dev.tandem.kpi;

import dev.tandem.module.Access;
import dev.tandem.module.Routes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /v1/perception-gap} (scope {@code kpis:read}): each team's latest belief, and each rating
 * round (the mean of every rater's latest rating), held against what customers answered over the
 * period: gap = believed − measured, {@code overestimated} when the belief is above the interval's upper
 * bound, {@code underestimated} below its lower bound, else {@code within}; largest gaps first. A belief
 * about a value with no answers, or no interval, is left out.
 */
final class PerceptionGap {
    private final KpiCatalog catalog;
    private final Beliefs beliefs;
    private final KpiQuery query;
    private final Clock clock;

    PerceptionGap(KpiCatalog catalog, Beliefs beliefs, KpiQuery query, Clock clock) {
        this.catalog = catalog;
        this.beliefs = beliefs;
        this.query = query;
        this.clock = clock;
    }

    /** The believed value of one target: by a team (raters null), or by a rating round. */
    private record Held(String kpi, Beliefs.Target by, double value, String team, Raters raters, long at) {}

    private record Raters(List<Double> values) {}

    void register(Routes routes) {
        routes.get("/v1/perception-gap", Access.scope(KpiRoutes.READ), ctx -> {
            Period p = Period.of(ctx.queryParam("from"), ctx.queryParam("to"), clock);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("from", p.from().toString());
            out.put("to", p.to().toString());
            out.put("gaps", gaps(p));
            ctx.json(out);
        });
    }

    List<Map<String, Object>> gaps(Period p) {
        List<Map<String, Object>> gaps = new ArrayList<>();
        for (Held h : held()) {
            KpiDefinition d = catalog.get(h.kpi()).orElse(null);
            if (d == null || (!h.by().whole() && !d.by().containsKey(h.by().dimension()))) {
                continue;
            }
            Estimate m = query.measured(d, p, h.by().whole() ? null : h.by().dimension(), h.by().member());
            if (!m.hasValue() || !m.hasInterval()) {
                continue;
            }
            double gap = h.value() - m.value();
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("kpi", d.key());
            g.put("name", d.about().name());
            g.put("by", BeliefRoutes.by(h.by()));
            g.put("believed", KpiQuery.round(h.value()));
            g.put("measured", KpiQuery.round(m.value()));
            g.put("ci", KpiQuery.ci(m));
            g.put("n", m.n());
            g.put("gap", KpiQuery.round(gap));
            g.put(
                    "verdict",
                    h.value() > m.high() ? "overestimated" : h.value() < m.low() ? "underestimated" : "within");
            g.put("team", h.team());
            g.put("raters", h.raters() == null ? null : raters(d, h.raters()));
            g.put("at", Instant.ofEpochMilli(h.at()).toString());
            gaps.add(g);
        }
        gaps.sort((a, b) -> Double.compare(Math.abs((Double) b.get("gap")), Math.abs((Double) a.get("gap"))));
        return gaps;
    }

    /** "5 of 6 rated it superior": superior is a rating at or above the KPI's target (none without a target). */
    private static Map<String, Object> raters(KpiDefinition d, Raters r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rated", r.values().size());
        Double target = d.about().target();
        out.put(
                "superior",
                target == null
                        ? null
                        : r.values().stream().filter(v -> v >= target).count());
        return out;
    }

    private List<Held> held() {
        Map<List<String>, Beliefs.Belief> latestBelief = new LinkedHashMap<>();
        Map<List<String>, Map<String, Beliefs.Belief>> rounds = new LinkedHashMap<>();
        for (Beliefs.Belief b : beliefs.all(null)) { // oldest first: later ones replace earlier ones
            List<String> target = List.of(b.kpi(), b.by().dimension(), b.by().member());
            if (b.rating()) {
                rounds.computeIfAbsent(target, t -> new LinkedHashMap<>())
                        .put(b.source().author(), b);
            } else {
                List<String> byTeam = new ArrayList<>(target);
                byTeam.add(b.source().team());
                latestBelief.put(byTeam, b);
            }
        }
        List<Held> out = new ArrayList<>();
        latestBelief
                .values()
                .forEach(b -> out.add(new Held(
                        b.kpi(),
                        b.by(),
                        b.value(),
                        b.source().team(),
                        null,
                        b.source().at())));
        for (Map<String, Beliefs.Belief> round : rounds.values()) {
            List<Double> values =
                    round.values().stream().map(Beliefs.Belief::value).toList();
            Beliefs.Belief any = round.values().iterator().next();
            TreeSet<String> teams = new TreeSet<>();
            long at = 0;
            for (Beliefs.Belief b : round.values()) {
                teams.add(b.source().team());
                at = Math.max(at, b.source().at());
            }
            double mean =
                    values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            out.add(new Held(any.kpi(), any.by(), mean, String.join(",", teams), new Raters(values), at));
        }
        return out;
    }
}
