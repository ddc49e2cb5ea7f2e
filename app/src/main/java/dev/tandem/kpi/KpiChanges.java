package dev.tandem.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.ConfigNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.module.Changeable;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * KPIs made through changes ({@code POST /v1/changes} with kind {@code kpi}, or {@code PUT
 * /v1/admin/kpis/{key}}), kept in {@code kpi_definitions}; those of tandem.yaml are changed in the
 * file (409). A KPI made live counts the events processed from then on; a replay counts the earlier ones.
 */
final class KpiChanges implements Changeable {
    static final String KIND = "kpi";

    private final Jdbi jdbi;
    private final KpiCatalog catalog;
    /** Reads a declaration as tandem.yaml's are read: {@link KpiDefinition#from} with the module's expressions and guard. */
    private final Reader reader;

    /** Reads a declaration; {@code stored}: one an approved change made live, read again at start. */
    interface Reader {
        KpiDefinition read(ConfigNode node, boolean stored);
    }

    private final ObjectMapper mapper;
    private final Clock clock;

    KpiChanges(Jdbi jdbi, KpiCatalog catalog, Reader reader, ObjectMapper mapper, Clock clock) {
        this.jdbi = jdbi;
        this.catalog = catalog;
        this.reader = reader;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Reads the KPIs made through changes into the catalog, at start. */
    void load() {
        Map<String, KpiDefinition> made = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT kpi, declaration FROM kpi_definitions ORDER BY kpi")
                .map((rs, ctx) -> made.put(rs.getString(1), parse(read(rs.getString(2)), true)))
                .list());
        catalog.replaceApi(made);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JsonNode check(String key, JsonNode declaration) {
        if (declaration == null || !declaration.isObject()) {
            throw new BadRequest("invalid_body", "Send a KPI as a JSON object such as " + KpiRoutes.EXAMPLE + ".");
        }
        if (catalog.inWorkspace(key)) {
            throw new Conflict(
                    "declared_in_workspace",
                    "The KPI '" + key
                            + "' is declared in tandem.yaml; change it there and restart, so the file stays the truth.",
                    "key");
        }
        KpiDefinition d = parse(declaration, false);
        if (!d.key().equals(key)) {
            throw new BadRequest(
                    "key_mismatch", "The body's key '" + d.key() + "' is not the KPI's key '" + key + "'.", "key");
        }
        return declaration;
    }

    private KpiDefinition parse(JsonNode declaration, boolean stored) {
        return reader.read(
                new ConfigNode(
                        declaration,
                        "",
                        (path, problem) -> new BadRequest(
                                "invalid_kpi",
                                Character.toUpperCase(problem.charAt(0)) + problem.substring(1),
                                path.isEmpty() ? null : path.substring(1).replace('/', '.'))),
                stored);
    }

    @Override
    public Optional<JsonNode> live(String key) {
        return Optional.ofNullable(catalog.api().get(key)).map(KpiDefinition::declaration);
    }

    @Override
    public Map<String, JsonNode> all() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        catalog.api().forEach((k, d) -> out.put(k, d.declaration()));
        return out;
    }

    @Override
    public synchronized void apply(String key, JsonNode declaration) {
        Map<String, KpiDefinition> next = new LinkedHashMap<>(catalog.api());
        if (declaration == null) {
            jdbi.useHandle(h -> h.execute("DELETE FROM kpi_definitions WHERE kpi = ?", key));
            next.remove(key);
        } else {
            KpiDefinition d = parse(declaration, false);
            jdbi.useHandle(h -> {
                h.execute("DELETE FROM kpi_definitions WHERE kpi = ?", key);
                h.execute(
                        "INSERT INTO kpi_definitions (kpi, declaration, updated_at) VALUES (?, ?, ?)",
                        key,
                        declaration.toString(),
                        clock.millis());
            });
            next.put(key, d);
        }
        catalog.replaceApi(next);
    }

    @Override
    public Map<String, Object> facts(JsonNode declaration) {
        return Map.of("type", declaration.path("type").asText());
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored KPI definition is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
