package dev.tandem.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.people.People;
import dev.tandem.people.Person;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An initiative: co-owned by one person from marketing and one from IT, with a goal, the KPIs it
 * moves (each with a baseline and a target) and checkpoints (a date, the value expected of one of its
 * KPIs then, a milestone). Read from the API body, which is kept as its declaration.
 */
record Initiative(String key, String name, String goal, Owners owners, List<Link> kpis, List<Checkpoint> checkpoints) {
    static final int MAX_CHECKPOINTS = 100;
    static final String EXAMPLE = "{\"key\": \"faster-delivery\", \"name\": \"Faster delivery\", \"goal\": \"...\", "
            + "\"owners\": {\"marketing\": \"ann\", \"it\": \"ben\"}, \"kpis\": [{\"kpi\": \"nps\", \"baseline\": 10, "
            + "\"target\": 40}], \"checkpoints\": [{\"date\": \"2026-03-01\", \"kpi\": \"nps\", \"expected\": 20, "
            + "\"milestone\": \"new carrier live\"}]}";

    /** The marketing person and the IT person, by name. */
    record Owners(String marketing, String it) {}

    record Link(String kpi, double baseline, double target) {}

    record Checkpoint(LocalDate date, String kpi, double expected, String milestone) {}

    /** @param catalog and {@code people} check the KPIs and owners; null when reading back what was stored */
    static Initiative from(JsonNode body, KpiCatalog catalog, People people) {
        JsonBody.requireObject(
                body, Set.of("key", "name", "goal", "owners", "kpis", "checkpoints"), "an initiative", EXAMPLE);
        String key = text(body, "key", 64);
        if (!KpiDefinition.KEY.matcher(key).matches()) {
            throw new BadRequest(
                    "invalid_key",
                    "An initiative's key is lower-case letters, digits, '_' or '-', starting with a letter, such as faster-delivery.",
                    "key");
        }
        JsonNode owners = body.get("owners");
        if (owners == null || !owners.isObject()) {
            throw new BadRequest(
                    "invalid_owners",
                    "'owners' names one marketing person and one IT person: {\"marketing\": \"ann\", \"it\": \"ben\"}.",
                    "owners");
        }
        JsonBody.requireObject(
                owners, Set.of("marketing", "it"), "'owners'", "{\"marketing\": \"ann\", \"it\": \"ben\"}");
        Owners both = new Owners(owner(owners, "marketing", people), owner(owners, "it", people));
        List<Link> links = new ArrayList<>();
        Set<String> linked = new HashSet<>();
        JsonNode kpis = body.get("kpis");
        if (kpis == null || !kpis.isArray() || kpis.isEmpty() || kpis.size() > KpiDefinition.MAX_DIMENSIONS) {
            throw new BadRequest(
                    "invalid_kpis",
                    "'kpis' lists the 1 to 8 KPIs the initiative moves: [{\"kpi\": \"nps\", \"baseline\": 10, \"target\": 40}].",
                    "kpis");
        }
        for (int i = 0; i < kpis.size(); i++) {
            JsonNode k = kpis.get(i);
            String at = "kpis." + i;
            JsonBody.requireObject(
                    k,
                    Set.of("kpi", "baseline", "target"),
                    "a linked KPI",
                    "{\"kpi\": \"nps\", \"baseline\": 10, \"target\": 40}");
            String kpi = text(k, "kpi", 64, at + ".kpi");
            if (catalog != null && catalog.get(kpi).isEmpty()) {
                throw new BadRequest(
                        "unknown_kpi",
                        "There is no KPI '" + KpiRoutes.shortened(kpi) + "'; GET /v1/kpis lists them.",
                        at + ".kpi");
            }
            if (!linked.add(kpi)) {
                throw new BadRequest("duplicate_kpi", "The KPI '" + kpi + "' is linked twice.", at + ".kpi");
            }
            links.add(new Link(kpi, number(k, "baseline", at), number(k, "target", at)));
        }
        return new Initiative(
                key,
                text(body, "name", 200),
                body.has("goal") ? text(body, "goal", 2000) : null,
                both,
                links,
                checkpoints(body.get("checkpoints"), links));
    }

    private static List<Checkpoint> checkpoints(JsonNode list, List<Link> links) {
        List<Checkpoint> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray() || list.size() > MAX_CHECKPOINTS) {
            throw new BadRequest(
                    "invalid_checkpoints",
                    "'checkpoints' is a list of at most " + MAX_CHECKPOINTS
                            + " such as [{\"date\": \"2026-03-01\", \"kpi\": \"nps\", \"expected\": 20, \"milestone\": \"...\"}].",
                    "checkpoints");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String at = "checkpoints." + i;
            JsonBody.requireObject(c, Set.of("date", "kpi", "expected", "milestone"), "a checkpoint", EXAMPLE);
            LocalDate date;
            try {
                date = LocalDate.parse(text(c, "date", 10, at + ".date"));
            } catch (DateTimeParseException e) {
                throw new BadRequest("invalid_date", "A checkpoint's date is a date such as 2026-03-01.", at + ".date");
            }
            String kpi = c.has("kpi")
                    ? text(c, "kpi", 64, at + ".kpi")
                    : links.size() == 1 ? links.get(0).kpi() : null;
            if (kpi == null || links.stream().noneMatch(l -> l.kpi().equals(kpi))) {
                throw new BadRequest(
                        "unknown_kpi",
                        "A checkpoint names one of the initiative's KPIs "
                                + links.stream().map(Link::kpi).toList() + " ('kpi' may be left out when it has one).",
                        at + ".kpi");
            }
            if (!seen.add(kpi + "@" + date)) {
                throw new BadRequest(
                        "duplicate_checkpoint", "Two checkpoints of " + kpi + " fall on " + date + ".", at + ".date");
            }
            out.add(new Checkpoint(
                    date,
                    kpi,
                    number(c, "expected", at),
                    c.has("milestone") ? text(c, "milestone", 200, at + ".milestone") : null));
        }
        out.sort(java.util.Comparator.comparing(Checkpoint::date));
        return out;
    }

    private static String owner(JsonNode owners, String side, People people) {
        String name = text(owners, side, 100, "owners." + side);
        if (people == null) {
            return name; // read back as stored: checked when it was made
        }
        Person p = people.person(name)
                .orElseThrow(() -> new BadRequest(
                        "unknown_person", "There is no person '" + KpiRoutes.shortened(name) + "'.", "owners." + side));
        if (!side.equals(people.sideOf(p.team()))) {
            throw new BadRequest(
                    "wrong_side",
                    name + " is in the team " + p.team() + ", not on the " + side
                            + " side; an initiative is co-owned by one person of each side.",
                    "owners." + side);
        }
        return name;
    }

    private static String text(JsonNode body, String field, int max) {
        return text(body, field, max, field);
    }

    private static String text(JsonNode body, String field, int max, String path) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
            throw new BadRequest(
                    "invalid_field",
                    "'" + path + "' must be a non-empty text of at most " + max + " characters.",
                    path);
        }
        return v.asText().strip();
    }

    private static double number(JsonNode body, String field, String at) {
        JsonNode v = body.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new BadRequest("invalid_field", "'" + at + "." + field + "' must be a number.", at + "." + field);
        }
        return v.asDouble();
    }
}
