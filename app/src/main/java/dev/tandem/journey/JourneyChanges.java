package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Facts;
import dev.tandem.module.Changeable;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Journeys made through changes ({@code POST /v1/changes} with kind {@code journey}), kept in
 * {@code journey_declarations}; those of tandem.yaml are changed in the file (409), where the change
 * module reads them as changes too. A journey's facts are its dry run over the stored data as if it
 * were launched now ({@code dryRun}) and {@code reach}, how many would enter: approvers see the
 * reach they approve and change rules raise the tier for a high one. Made live, a changed
 * declaration is a new version; instances in flight stay on theirs.
 */
final class JourneyChanges implements Changeable {
    static final String KIND = "journey";
    static final String EXAMPLE = "{\"key\": \"welcome\", \"owners\": [\"marketing\"], "
            + "\"entry\": {\"event\": \"event == 'Signed Up'\"}, \"steps\": [{\"exit\": \"done\"}]}";
    /** The days of events a dry run of an event entry reads for the change's facts. */
    static final int DAYS = 7;

    private final JourneyBook book;
    private final JourneyStore store;
    private final DryRun dryRun;
    private final Expressions expressions;
    private final Supplier<Set<String>> destinations;
    private final java.util.function.Consumer<JourneyBook.Versioned> live;
    private final ObjectMapper mapper;
    private final Clock clock;

    /**
     * @param destinations the keys of the destinations a journey may send to
     * @param live         told of each journey made live (a scheduled entry then plans its next pass)
     */
    JourneyChanges(
            JourneyBook book,
            JourneyStore store,
            DryRun dryRun,
            Expressions expressions,
            Supplier<Set<String>> destinations,
            java.util.function.Consumer<JourneyBook.Versioned> live,
            ObjectMapper mapper,
            Clock clock) {
        this.live = live;
        this.book = book;
        this.store = store;
        this.dryRun = dryRun;
        this.expressions = expressions;
        this.destinations = destinations;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Makes the journeys made through changes live, at start. */
    void load() {
        store.made().forEach((key, declaration) -> {
            if (!book.inWorkspace(key)) {
                book.put(key, parse(read(declaration), null), clock.millis());
            }
        });
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JsonNode check(String key, JsonNode declaration) {
        if (!(declaration instanceof ObjectNode)) {
            throw new BadRequest("invalid_body", "Send a journey as a JSON object such as " + EXAMPLE + ".");
        }
        if (book.inWorkspace(key)) {
            throw new Conflict(
                    "declared_in_workspace",
                    "The journey '" + key
                            + "' is declared in tandem.yaml; change it there and restart, so the file stays the truth.",
                    "key");
        }
        Journey j = parse(declaration, destinations.get());
        if (!j.key().equals(key)) {
            throw new BadRequest(
                    "key_mismatch", "The body's key '" + j.key() + "' is not the journey's key '" + key + "'.", "key");
        }
        return declaration;
    }

    private Journey parse(JsonNode declaration, Set<String> known) {
        return JourneyDeclarations.one(
                new ConfigNode(
                        declaration,
                        "",
                        (path, problem) -> new BadRequest(
                                "invalid_journey",
                                Character.toUpperCase(problem.charAt(0)) + problem.substring(1),
                                path.isEmpty() ? null : path.substring(1).replace('/', '.'))),
                expressions,
                known);
    }

    @Override
    public Optional<JsonNode> live(String key) {
        if (book.inWorkspace(key)) {
            return Optional.empty();
        }
        return Optional.ofNullable(book.current(key))
                .map(v -> v.journey().definition().declaration());
    }

    @Override
    public Map<String, JsonNode> all() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        book.all().stream()
                .filter(v -> !book.inWorkspace(v.journey().key()))
                .forEach(
                        v -> out.put(v.journey().key(), v.journey().definition().declaration()));
        return out;
    }

    @Override
    public synchronized void apply(String key, JsonNode declaration) {
        if (book.inWorkspace(key)) {
            throw new Conflict(
                    "declared_in_workspace",
                    "The journey '" + key + "' is declared in tandem.yaml; change it there.",
                    "key");
        }
        store.make(key, declaration == null ? null : declaration.toString(), clock.millis());
        book.put(key, declaration == null ? null : parse(declaration, null), clock.millis());
        if (book.current(key) != null) {
            live.accept(book.current(key));
        }
    }

    /**
     * The dry run of the declaration (for a removal, of what is live: who it would have reached) and
     * its {@code reach}, the profiles that would enter; {@code sends}, how many send steps it has.
     */
    @Override
    public Map<String, Object> facts(JsonNode declaration) {
        Journey j = parse(declaration, null);
        int version = book.nextVersion(j.key(), declaration.toString());
        ObjectNode run = dryRun.run(new JourneyBook.Versioned(j, version), DAYS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reach", run.path("entered").asLong());
        out.put("heldOut", run.path("heldOut").asLong());
        out.put("sends", (long) j.definition().sends().size());
        out.put("dryRun", Facts.json(run));
        return out;
    }

    /**
     * A plan (read scope) runs no dry run: a crafted entry such as {@code traits.email == '...'}
     * would tell an analyst one fact about a person per request. The proposal runs it.
     */
    @Override
    public Map<String, Object> previewFacts(JsonNode declaration) {
        Journey j = parse(declaration, null);
        return Map.of("sends", (long) j.definition().sends().size());
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("A stored journey declaration is not JSON: " + e.getMessage(), e);
        }
    }
}
