package dev.tandem.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Forbidden;
import dev.tandem.module.Access;
import dev.tandem.module.Caller;
import dev.tandem.module.Routes;
import dev.tandem.people.People;
import dev.tandem.people.Person;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/kpis/{key}/beliefs} (a team's belief), {@code POST /v1/kpis/{key}/ratings} (one
 * person's rating in a rating round), both scope {@code changes:write}, and {@code GET
 * /v1/kpis/{key}/beliefs} (both, with their history, newest first; scope {@code kpis:read}).
 */
final class BeliefRoutes {
    static final int MAX_NOTE = 1000;
    /** A belief or rating is a few hundred bytes; a body past this is refused before it is read as JSON. */
    static final int MAX_BODY = 16 * 1024;

    private static final String BELIEF =
            "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": 60, \"team\": \"marketing\", \"note\": \"...\"}";
    private static final String RATING = "{\"by\": {\"touchpoint\": \"delivery\"}, \"value\": 60}";

    private final KpiCatalog catalog;
    private final Beliefs beliefs;
    private final People people;
    private final ObjectMapper mapper;
    private final Clock clock;

    BeliefRoutes(KpiCatalog catalog, Beliefs beliefs, People people, ObjectMapper mapper, Clock clock) {
        this.catalog = catalog;
        this.beliefs = beliefs;
        this.people = people;
        this.mapper = mapper;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.post("/v1/kpis/{key}/beliefs", Access.scope("changes:write"), this::belief);
        routes.post("/v1/kpis/{key}/ratings", Access.scope("changes:write"), this::rating);
        routes.get("/v1/kpis/{key}/beliefs", Access.scope(KpiRoutes.READ), ctx -> {
            KpiDefinition d = KpiRoutes.find(catalog, ctx.pathParam("key"));
            List<Map<String, Object>> said = new ArrayList<>();
            List<Map<String, Object>> rated = new ArrayList<>();
            List<Beliefs.Belief> all = new ArrayList<>(beliefs.all(d.key()));
            java.util.Collections.reverse(all);
            all.forEach(b -> (b.rating() ? rated : said).add(json(b)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("kpi", d.key());
            out.put("beliefs", said);
            out.put("ratings", rated);
            ctx.json(out);
        });
    }

    private void belief(Context ctx) {
        KpiDefinition d = KpiRoutes.find(catalog, ctx.pathParam("key"));
        JsonNode body = body(ctx, mapper, BELIEF);
        JsonBody.requireObject(body, Set.of("by", "value", "team", "note"), "a belief", BELIEF);
        Person person = person(ctx);
        String team = body.has("team") ? text(body.get("team"), "team") : person == null ? null : person.team();
        if (team == null) {
            throw new BadRequest("missing_field", "Say whose belief this is: 'team', such as \"marketing\".", "team");
        }
        if (people.sideOf(team) == null) {
            throw new BadRequest(
                    "unknown_team",
                    "There is no team '" + KpiRoutes.shortened(team)
                            + "'; use marketing, it, or a team of the server setting teams.",
                    "team");
        }
        String note = body.has("note") && !body.get("note").isNull() ? text(body.get("note"), "note") : null;
        if (note != null && note.length() > MAX_NOTE) {
            throw new BadRequest("note_too_long", "A note has at most " + MAX_NOTE + " characters.", "note");
        }
        Beliefs.Target by = target(d, body.get("by"));
        double value = value(d, body.get("value"));
        Beliefs.Source source = new Beliefs.Source(team, author(ctx, person), note, clock.millis());
        long id = beliefs.add(d.key(), by, false, value, source);
        ctx.status(201).json(json(new Beliefs.Belief(id, d.key(), by, false, value, source)));
    }

    private void rating(Context ctx) {
        KpiDefinition d = KpiRoutes.find(catalog, ctx.pathParam("key"));
        Person person = person(ctx);
        if (person == null) {
            throw new Forbidden(
                    "not_a_person",
                    "A rating is one person's: sign in, or use a token of your own, not the admin token or one made with it.");
        }
        JsonNode body = body(ctx, mapper, RATING);
        JsonBody.requireObject(body, Set.of("by", "value"), "a rating", RATING);
        Beliefs.Target by = target(d, body.get("by"));
        double value = value(d, body.get("value"));
        Beliefs.Source source = new Beliefs.Source(person.team(), person.name(), null, clock.millis());
        long id = beliefs.add(d.key(), by, true, value, source);
        ctx.status(201).json(json(new Beliefs.Belief(id, d.key(), by, true, value, source)));
    }

    static JsonNode body(Context ctx, ObjectMapper mapper, String example) {
        return JsonBody.read(mapper, JsonBody.limited(ctx.bodyAsBytes(), MAX_BODY, "a request", ""), example);
    }

    private Person person(Context ctx) {
        String name = Caller.person(ctx);
        return name == null ? null : people.person(name).orElse(null);
    }

    private static String author(Context ctx, Person person) {
        return person != null ? person.name() : Caller.of(ctx);
    }

    /** {@code by}: absent or {} for the whole KPI, or one declared dimension and its value. */
    static Beliefs.Target target(KpiDefinition d, JsonNode by) {
        if (by == null || by.isNull() || (by.isObject() && by.isEmpty())) {
            return new Beliefs.Target("", "");
        }
        if (!by.isObject() || by.size() != 1) {
            throw new BadRequest(
                    "invalid_by",
                    "'by' names one dimension and its value, such as {\"touchpoint\": \"delivery\"}, or is left out for the whole KPI.",
                    "by");
        }
        var e = by.properties().iterator().next();
        if (!d.by().containsKey(e.getKey())) {
            throw new BadRequest(
                    "unknown_dimension",
                    "The KPI '" + d.key() + "' has no dimension '" + KpiRoutes.shortened(e.getKey()) + "'; it has "
                            + d.by().keySet() + ".",
                    "by");
        }
        return new Beliefs.Target(e.getKey(), text(e.getValue(), "by." + e.getKey()));
    }

    /** A number on the KPI's own scale: NPS points from -100 to 100, percentages from 0 to 100. */
    static double value(KpiDefinition d, JsonNode v) {
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new BadRequest("invalid_value", "'value' must be a number on the KPI's scale, such as 60.", "value");
        }
        double x = v.asDouble();
        double low = d.measure() instanceof Measure.Nps ? -100 : d.measure().proportion() ? 0 : -Double.MAX_VALUE;
        double high = d.measure() instanceof Measure.Nps || d.measure().proportion() ? 100 : Double.MAX_VALUE;
        if (x < low || x > high) {
            throw new BadRequest(
                    "value_out_of_range",
                    "A " + d.type() + " KPI's value lies from " + KpiDefinition.plain(low) + " to "
                            + KpiDefinition.plain(high) + "; " + KpiDefinition.plain(x) + " is outside.",
                    "value");
        }
        return x;
    }

    private static String text(JsonNode v, String field) {
        if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > 200 && !field.equals("note")) {
            throw new BadRequest(
                    "invalid_field", "'" + field + "' must be a non-empty text (at most 200 characters).", field);
        }
        return v.asText().strip();
    }

    static Map<String, Object> by(Beliefs.Target t) {
        return t.whole() ? Map.of() : Map.of(t.dimension(), t.member());
    }

    private static Map<String, Object> json(Beliefs.Belief b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", b.id());
        out.put("kpi", b.kpi());
        out.put("by", by(b.by()));
        out.put("value", b.value());
        out.put("team", b.source().team());
        out.put("author", b.source().author());
        if (!b.rating()) {
            out.put("note", b.source().note());
        }
        out.put("at", Instant.ofEpochMilli(b.source().at()).toString());
        return out;
    }
}
