package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.audience.Memberships;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Destinations, after audiences in the flow: the outbox stage, one delivery thread per
 * destination, the SLA evaluation ({@code destinations.health}, every 10 seconds, which also
 * deletes outbox rows every destination is past), replays of dead letters
 * ({@code destinations.replay}, between batches so outbox ids stay in commit order), the routes,
 * and the metrics per destination. {@link #recipients} is what an erasure calls to reach the
 * tools.
 */
public final class ConnectModule implements Module {
    static final String HEALTH = "destinations.health";
    static final String REPLAY = "destinations.replay";
    private static final Duration EVALUATE_EVERY = Duration.ofSeconds(10);

    /** What delivery reads of the rest of Tandem: stored events, profiles and their consent, identifiers, audience keys. */
    public record Reads(
            InboxReader inbox, ProfileReader profiles, IdentityLookup identities, Memberships memberships) {}

    private final List<DestinationConfig> configs;
    private final Connectors connectors;
    private final Reads reads;
    private final Gate gate;
    private final Path dataDir;
    private ErasureRecipients recipients = ErasureRecipients.NONE;

    public ConnectModule(List<DestinationConfig> configs, Connectors connectors, Reads reads, Gate gate, Path dataDir) {
        this.configs = List.copyOf(configs);
        this.connectors = connectors;
        this.reads = reads;
        this.gate = gate;
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public void wire(Wiring wiring) {
        OutboxStore store = new OutboxStore(wiring.database());
        Messages messages = new Messages(reads.inbox(), reads.profiles(), reads.identities(), wiring.mapper());
        Map<String, Destination> destinations = new LinkedHashMap<>();
        for (DestinationConfig c : configs) {
            ConnectorType type = c.connection().type();
            Connector connector = wiring.closeable(type.open(
                    c.connection().settings(),
                    new ConnectorContext(c.key(), wiring.clock(), wiring.mapper(), dataDir)));
            DestinationStats stats = new DestinationStats(c.sla().window());
            DeliveryWorker worker = wiring.closeable(new DeliveryWorker(
                    c,
                    type.style(c.connection().settings()).maxBatch(),
                    store,
                    new Attempt(c, connector, messages, gate, reads.profiles()),
                    stats,
                    wiring.clock()));
            destinations.put(c.key(), new Destination(c, connector, worker, stats));
            wiring.onStart(worker::start);
        }
        recipients = new ErasureDeletions(store, destinations.keySet(), wiring.mapper());
        Alerts alerts = wiring.closeable(new Alerts(wiring.mapper()));
        SlaMonitor monitor = new SlaMonitor(store, alerts, wiring.clock());
        DestinationMetrics.register(wiring.meters(), destinations.values(), monitor);
        if (!destinations.isEmpty()) {
            Runnable wakeAll =
                    () -> destinations.values().forEach(d -> d.worker().wake());
            wiring.stage(new ConnectStage(configs, store, reads.memberships()::keyOf, wakeAll));
            wiring.job(new Job() {
                @Override
                public String kind() {
                    return HEALTH;
                }

                @Override
                public Next run(Due due) {
                    destinations.values().forEach(monitor::evaluate);
                    store.clean(destinations.keySet());
                    return Next.again(wiring.clock().instant().plus(EVALUATE_EVERY));
                }
            });
            wiring.scheduler().schedule(HEALTH, "all", wiring.clock().instant().plus(EVALUATE_EVERY), null);
        }
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
        new DestinationRoutes(
                        destinations,
                        monitor,
                        store,
                        connectors,
                        wiring.mapper(),
                        (key, ids) -> wiring.scheduler()
                                .schedule(
                                        REPLAY,
                                        key + ":" + UUID.randomUUID(),
                                        wiring.clock().instant(),
                                        JsonText.of(Map.of("destination", key, "ids", ids))))
                .register(wiring.routes());
    }

    /** What an erasure calls to queue deletions for the destinations that received the subject's data. */
    public ErasureRecipients recipients() {
        return recipients;
    }
}
