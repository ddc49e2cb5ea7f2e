package dev.tandem.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.error.Conflict;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Initiatives as stored, and the status of their checkpoints: a checkpoint whose day is over has
 * passed, and is met when its KPI's value over the {@link #WINDOW_DAYS} days up to and including that
 * day is at or above what was expected (missed otherwise, or without answers); later ones are upcoming.
 * An initiative is at risk when the latest passed checkpoint of one of its KPIs was missed.
 */
final class Initiatives {
    static final int WINDOW_DAYS = 30;

    /** A passed checkpoint as recorded when it passed: its status and the KPI's value then (null: no answers). */
    record Passed(String status, Double value) {}

    private final Jdbi jdbi;
    private final ObjectMapper mapper;
    private final KpiCatalog catalog;
    private final KpiQuery query;
    private final Clock clock;

    Initiatives(Jdbi jdbi, ObjectMapper mapper, KpiCatalog catalog, KpiQuery query, Clock clock) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        this.catalog = catalog;
        this.query = query;
        this.clock = clock;
    }

    void add(Initiative i, JsonNode declaration, String by) {
        if (get(i.key()).isPresent()) {
            throw new Conflict(
                    "initiative_exists", "An initiative with the key '" + i.key() + "' exists already.", "key");
        }
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO initiatives (initiative, declaration, created_by, created_at) VALUES (?, ?, ?, ?)",
                i.key(),
                declaration.toString(),
                by,
                clock.millis()));
    }

    List<Initiative> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT declaration FROM initiatives ORDER BY created_at, initiative")
                .map((rs, ctx) -> read(rs.getString(1)))
                .list());
    }

    Optional<Initiative> get(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT declaration FROM initiatives WHERE initiative = :k")
                .bind("k", key)
                .map((rs, ctx) -> read(rs.getString(1)))
                .findOne());
    }

    /** The checkpoints of an initiative recorded as passed, by KPI and day. */
    Map<String, Passed> passed(String initiative) {
        Map<String, Passed> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT kpi, day, status, value FROM initiative_checkpoints WHERE initiative = :i")
                .bind("i", initiative)
                .map((rs, ctx) -> out.put(
                        rs.getString(1) + "@" + rs.getString(2),
                        new Passed(rs.getString(3), rs.getObject(4) == null ? null : rs.getDouble(4))))
                .list());
        return out;
    }

    /** Records a passed checkpoint once; false when it was recorded already. */
    boolean recordPassed(Initiative i, Initiative.Checkpoint c, Passed p) {
        return jdbi.withHandle(h -> h.createUpdate("""
                                INSERT INTO initiative_checkpoints (initiative, kpi, day, status, value, passed_at)
                                VALUES (:i, :k, :d, :s, :v, :at) ON CONFLICT (initiative, kpi, day) DO NOTHING
                                """)
                        .bind("i", i.key())
                        .bind("k", c.kpi())
                        .bind("d", c.date().toString())
                        .bind("s", p.status())
                        .bind("v", p.value())
                        .bind("at", clock.millis())
                        .execute())
                == 1;
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Whether the checkpoint's day is over. */
    boolean hasPassed(Initiative.Checkpoint c) {
        return c.date().isBefore(today());
    }

    /** What the checkpoint's KPI measured over the window ending on its day, and whether that met it. */
    Passed measure(Initiative.Checkpoint c) {
        KpiDefinition d = catalog.get(c.kpi()).orElse(null);
        if (d == null) {
            return new Passed("missed", null);
        }
        Estimate e = query.measured(d, new Period(c.date().minusDays(WINDOW_DAYS - 1), c.date()), null, null);
        Double value = e.hasValue() ? KpiQuery.round(e.value()) : null;
        return new Passed(value != null && value >= c.expected() ? "met" : "missed", value);
    }

    private Initiative read(String json) {
        try {
            return Initiative.from(mapper.readTree(json), null, null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored initiative is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
