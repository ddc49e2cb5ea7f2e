package dev.tandem.journey;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.audience.Memberships;
import dev.tandem.collect.CollectModule;
import dev.tandem.collect.Retention;
import dev.tandem.collect.Source;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.connect.MessageOutbox;
import dev.tandem.expr.Expressions;
import dev.tandem.govern.Gate;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.pipeline.OverlappedWork;
import dev.tandem.profile.ProfileReader;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journeys, after destinations in the flow: the entry stage, the {@code journeys.advance} job of
 * the pipeline lane, the routes, the {@code journey} kind of changes, and the source
 * {@code journeys} that update steps emit identifies through (made at the first update).
 */
public final class JourneyModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(JourneyModule.class);

    /** What journeys read of the rest of Tandem. */
    public record Reads(
            ProfileReader profiles, IdentityLookup identities, Memberships memberships, CollectModule collect) {}

    /** The declared journeys and the frequency caps per channel (sends per profile per local day). */
    public record Declared(List<Journey> journeys, Map<String, Integer> caps) {}

    private final Declared declared;
    private final Reads reads;
    private final Gate gate;
    private final Supplier<MessageOutbox> outbox;
    private final Expressions expressions;

    public JourneyModule(
            Declared declared, Reads reads, Gate gate, Supplier<MessageOutbox> outbox, Expressions expressions) {
        this.declared = declared;
        this.reads = reads;
        this.gate = gate;
        this.outbox = outbox;
        this.expressions = expressions;
    }

    @Override
    public String name() {
        return "journeys";
    }

    @Override
    public void wire(Wiring wiring) {
        JourneyStore store = new JourneyStore(wiring.database());
        JourneyBook book = new JourneyBook(
                declared.journeys(),
                store,
                wiring.mapper(),
                expressions,
                wiring.clock().millis());
        MessageOutbox out = outbox.get();
        var opener = reads.collect().inbox();
        Walker live = new Walker(gate, out::flow, declared.caps(), wiring.mapper(), opener::open, false);
        Walker dry = new Walker(gate, out::flow, declared.caps(), wiring.mapper(), opener::open, true);
        JourneyRunner runner = new JourneyRunner(
                book,
                store,
                new JourneyRunner.Reads(reads.profiles(), reads.identities(), reads.memberships(), opener),
                live,
                out,
                traitSetter(wiring, store),
                wiring.clock());
        wiring.job(runner);
        // one job per process: a process killed mid-run keeps its lease until it expires, and must not
        // hold the timers of the one started after it; the instance rows, not the job, are the timers
        String jobKey = "advance@" + wiring.scheduler().owner();
        wiring.stage(new JourneyStage(
                book,
                store,
                reads.memberships()::keyOf,
                wiring.scheduler(),
                jobKey,
                wiring.clock(),
                wiring.closeable(new OverlappedWork("journeys-ahead", wiring.meters()))));
        Runnable wake = () -> wiring.scheduler()
                .schedule(JourneyRunner.KIND, jobKey, wiring.clock().instant(), null);
        DryRun dryRun = new DryRun(
                new DryRun.Reads(
                        reads.profiles(),
                        reads.identities(),
                        reads.memberships(),
                        reads.collect().inbox()),
                store,
                dry,
                wiring.mapper(),
                wiring.clock());
        ScheduledEntries scheduled = new ScheduledEntries(
                book,
                store,
                new ScheduledEntries.Reads(reads.memberships(), reads.profiles()),
                wiring.scheduler(),
                jobKey,
                wiring.clock());
        wiring.job(scheduled);
        JourneyChanges changes = new JourneyChanges(
                book, store, dryRun, expressions, out::keys, scheduled::live, wiring.mapper(), wiring.clock());
        changes.load();
        wiring.changeable(changes);
        book.all().forEach(scheduled::live); // the next pass of each journey entered on a schedule
        if (!book.all().isEmpty()) {
            wake.run(); // timers that came due while the server was down
        }
        new JourneyRoutes(book, store, dryRun, wake, wiring.mapper(), wiring.clock(), reads.identities()::require)
                .register(wiring.routes());
    }

    /**
     * Emits kept trait updates as identifies through the source {@code journeys}, each with its
     * message id, and forgets each once the inbox stored it (or when its profile has no identifier to
     * address it by).
     */
    private java.util.function.Consumer<List<JourneyStore.TraitUpdate>> traitSetter(Wiring wiring, JourneyStore store) {
        // made at the first update, so that a workspace whose journeys never update has no such source
        Supplier<Source> source = new Supplier<>() {
            private Source made;

            @Override
            public synchronized Source get() {
                if (made == null) {
                    made = reads.collect()
                            .sources()
                            .byName("journeys")
                            .orElseGet(() -> reads.collect()
                                    .sources()
                                    .create(new SourceDeclaration("journeys", null, null, Retention.DEFAULTS)));
                }
                return made;
            }
        };
        return updates -> {
            Map<Long, Map<String, List<String>>> ids = reads.identities()
                    .identifiersByType(updates.stream()
                            .map(JourneyStore.TraitUpdate::profile)
                            .distinct()
                            .toList());
            for (JourneyStore.TraitUpdate u : updates) {
                Map<String, List<String>> of = ids.getOrDefault(u.profile(), Map.of());
                ObjectNode event = wiring.mapper()
                        .createObjectNode()
                        .put("type", "identify")
                        .put("messageId", u.messageId());
                if (of.containsKey("user_id")) {
                    event.put("userId", of.get("user_id").get(0));
                } else if (of.containsKey("anonymous_id")) {
                    event.put("anonymousId", of.get("anonymous_id").get(0));
                } else {
                    store.traitUpdateStored(u.messageId()); // erased meanwhile: nobody to address
                    continue;
                }
                event.putObject("traits").set(u.trait(), value(wiring, u.value()));
                reads.collect()
                        .collector()
                        .emit(source.get(), event)
                        .thenAccept(n -> store.traitUpdateStored(u.messageId()))
                        .exceptionally(e -> {
                            log.atWarn()
                                    .addKeyValue("trait", u.trait())
                                    .log("a journey's trait update was not stored yet; sent again at the next start: "
                                            + e.getMessage());
                            return null;
                        });
            }
        };
    }

    private static com.fasterxml.jackson.databind.JsonNode value(Wiring wiring, String json) {
        try {
            return json == null ? wiring.mapper().nullNode() : wiring.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a kept trait update is not JSON", e);
        }
    }
}
