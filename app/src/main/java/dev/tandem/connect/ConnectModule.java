package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.audience.Memberships;
import dev.tandem.audit.AuditLog;
import dev.tandem.collect.InboxReader;
import dev.tandem.config.JsonText;
import dev.tandem.govern.ErasureRecipients;
import dev.tandem.govern.Gate;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.profile.ProfileReader;
import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Lane;
import dev.tandem.schedule.Next;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destinations, after audiences in the flow: the outbox stage, one delivery thread per
 * destination, the SLA evaluation ({@code destinations.health}, every 10 seconds, which also
 * deletes outbox rows every destination is past), replays of dead letters
 * ({@code destinations.replay}, between batches so outbox ids stay in commit order), the routes,
 * and the metrics per destination. Destinations come from tandem.yaml and from the admin API
 * ({@link DestinationAdmin}), which may add, change and delete its own while the server runs.
 * {@link #recipients} is what an erasure calls to reach the
 * tools.
 */
public final class ConnectModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(ConnectModule.class);
    static final String HEALTH = "destinations.health";
    static final String REPLAY = "destinations.replay";
    private static final Duration EVALUATE_EVERY = Duration.ofSeconds(10);

    /** What delivery reads of the rest of Tandem: stored events, profiles and their consent, identifiers, audience keys. */
    public record Reads(
            InboxReader inbox, ProfileReader profiles, IdentityLookup identities, Memberships memberships) {}

    /** What delivery answers to: the policy gate for every item, the audit trail for every change of SLA state. */
    public record Guards(Gate gate, AuditLog audit) {}

    private final List<DestinationConfig> configs;
    private final DestinationConfigs.Rules rules;
    private final Reads reads;
    private final Guards guards;
    private final Path dataDir;
    private ErasureRecipients recipients = ErasureRecipients.NONE;
    private MessageOutbox outbox;

    /**
     * @param configs the destinations of tandem.yaml
     * @param rules   what a destination made through the admin API is checked against, as tandem.yaml's are
     */
    public ConnectModule(
            List<DestinationConfig> configs, DestinationConfigs.Rules rules, Reads reads, Guards guards, Path dataDir) {
        this.configs = List.copyOf(configs);
        this.rules = rules;
        this.reads = reads;
        this.guards = guards;
        this.dataDir = dataDir;
    }

    /** What change rules read about a destination declared in tandem.yaml or through the API (see {@link DestinationChanges#of}). */
    public static Map<String, Object> facts(com.fasterxml.jackson.databind.JsonNode declaration) {
        return DestinationChanges.of(declaration);
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public void wire(Wiring wiring) {
        OutboxStore store = new OutboxStore(wiring.database());
        DestinationDeclarations declarations = new DestinationDeclarations(wiring.database());
        Messages messages = new Messages(reads.inbox(), reads.profiles(), reads.identities(), wiring.mapper());
        Alerts alerts = wiring.closeable(new Alerts(wiring.mapper()));
        SlaMonitor monitor = new SlaMonitor(store, alerts, guards.audit(), wiring.clock());
        Set<String> workspace = new HashSet<>();
        configs.forEach(c -> workspace.add(c.key()));
        DestinationSet destinations = wiring.closeable(new DestinationSet(
                workspace,
                c -> {
                    ConnectorType type = c.connection().type();
                    Connector connector = type.open(
                            c.connection().settings(),
                            new ConnectorContext(c.key(), wiring.clock(), wiring.mapper(), dataDir));
                    DestinationStats stats = new DestinationStats(c.sla().window());
                    DeliveryWorker worker = new DeliveryWorker(
                            c,
                            type.style(c.connection().settings()).maxBatch(),
                            store,
                            new Attempt(c, connector, messages, guards.gate(), reads.profiles()),
                            stats,
                            wiring.clock());
                    Destination d = new Destination(c, connector, worker, stats);
                    DestinationMetrics.register(wiring.meters(), d, monitor);
                    return d;
                },
                key -> DestinationMetrics.remove(wiring.meters(), key)));
        configs.forEach(destinations::put);
        declarations.all().forEach((key, declaration) -> {
            if (workspace.contains(key)) {
                log.atWarn()
                        .addKeyValue("destination", key)
                        .log("a destination made through the API has the key of one in tandem.yaml, which wins; "
                                + "delete the API's with DELETE /v1/destinations/" + key
                                + " after removing it from tandem.yaml");
                return;
            }
            try {
                destinations.put(DestinationAdmin.read(key, declaration, rules, wiring.mapper()));
            } catch (RuntimeException e) {
                log.atError()
                        .setCause(e)
                        .addKeyValue("destination", key)
                        .log("a destination made through the API no longer loads and is not running; "
                                + "fix it with PUT /v1/destinations/" + key + " or remove it with DELETE");
            }
        });
        wiring.onStart(destinations::start);
        outbox = new MessageOutbox(destinations);
        recipients = new ErasureDeletions(store, key -> destinations.get(key) != null, wiring.mapper());
        Runnable wakeAll = () -> destinations.all().forEach(d -> d.worker().wake());
        wiring.stage(new ConnectStage(destinations::configs, store, reads.memberships()::keyOf, wakeAll));
        wiring.job(new Job() {
            @Override
            public String kind() {
                return HEALTH;
            }

            @Override
            public Next run(Due due) {
                destinations.all().forEach(monitor::evaluate);
                store.clean(destinations.keys());
                return Next.again(wiring.clock().instant().plus(EVALUATE_EVERY));
            }
        });
        wiring.scheduler().schedule(HEALTH, "all", wiring.clock().instant().plus(EVALUATE_EVERY), null);
        wiring.job(new Job() {
            @Override
            public String kind() {
                return REPLAY;
            }

            @Override
            public Lane lane() {
                return Lane.PIPELINE;
            }

            @Override
            public Next run(Due due) {
                JsonNode payload = JsonText.readOrText(due.payload());
                String key = payload.path("destination").asText();
                List<Long> ids = new java.util.ArrayList<>();
                payload.path("ids").forEach(id -> ids.add(id.asLong()));
                Destination d = destinations.get(key);
                if (d != null) {
                    store.inTransaction(
                            h -> store.replay(h, key, ids, wiring.clock().millis()));
                    d.worker().wake();
                }
                return Next.done();
            }
        });
        DestinationChanges changes = new DestinationChanges(destinations, declarations, rules, wiring);
        wiring.changeable(changes);
        new DestinationAdmin(destinations, declarations, changes, monitor, wiring).register(wiring.routes());
        new DestinationRoutes(
                        destinations,
                        monitor,
                        store,
                        rules.connectors(),
                        wiring.mapper(),
                        (key, ids) -> wiring.scheduler()
                                .schedule(
                                        REPLAY,
                                        key + ":" + UUID.randomUUID(),
                                        wiring.clock().instant(),
                                        JsonText.of(Map.of("destination", key, "ids", ids))))
                .register(wiring.routes());
    }

    /** Where journeys append the messages they send (available once wired). */
    public MessageOutbox outbox() {
        return outbox;
    }

    /** What an erasure calls to queue deletions for the destinations that received the subject's data. */
    public ErasureRecipients recipients() {
        return recipients;
    }
}
