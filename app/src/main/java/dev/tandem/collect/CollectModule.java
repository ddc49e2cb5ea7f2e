package dev.tandem.collect;

import dev.tandem.config.ConfigException;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Collection: sources and write keys, the durable inbox and its writer, the quarantine, and the
 * Segment-compatible tracking routes, read-back routes and source admin routes.
 */
public final class CollectModule implements Module {
    /**
     * @param maxPendingEvents events accepted but not yet committed before 503
     * @param diskReserveBytes free space below which tracking is refused
     * @param bodyTimeout      how long a request body may take to arrive
     * @param publicUrl        where clients reach Tandem (known once the port is bound)
     * @param archiveDir       where events past their retention are kept ({@code <data>/archive})
     */
    public record Settings(
            int maxPendingEvents,
            long diskReserveBytes,
            Duration bodyTimeout,
            Supplier<String> publicUrl,
            java.nio.file.Path archiveDir) {}

    private final List<SourceDeclaration> declared;
    private final Settings settings;
    private final EventScreen screen;
    private final EventSealing sealing;
    private Sources sources;
    private InboxWriter writer;
    private DiskGuard disk;
    private Collector collector;
    private InboxReader inbox;
    private Archive archive;
    private InboxHistory history;
    private BodyReader bodies;

    /**
     * @param screen  looks at every event before it is stored (removes restricted data, seals personal values)
     * @param sealing the other half of the screen's sealing: keys stored before each commit, values opened for readers
     */
    public CollectModule(
            List<SourceDeclaration> declared, Settings settings, EventScreen screen, EventSealing sealing) {
        this.declared = declared;
        this.settings = settings;
        this.screen = screen;
        this.sealing = sealing;
    }

    @Override
    public String name() {
        return "collect";
    }

    @Override
    public void wire(Wiring wiring) {
        sources = new Sources(wiring.jdbi(), wiring.clock());
        try {
            sources.declare(declared);
        } catch (RuntimeException e) {
            throw new ConfigException("tandem.yaml sources: " + e.getMessage());
        }
        // The inbox has its own store (its own file on SQLite): appends never wait for the processor's writes.
        writer = wiring.closeable(
                new InboxWriter(wiring.database().inbox(), settings.maxPendingEvents(), sealing, wiring.meters()));
        var file = wiring.database().file();
        disk = new DiskGuard(file == null ? null : file.getParent(), settings.diskReserveBytes());
        collector = new Collector(wiring.mapper(), Limits.SEGMENT, screen, writer, wiring.clock(), wiring.meters());
        inbox = new InboxReader(wiring.database().inbox().jdbi(), sealing);
        sealing.recover(inbox);
        archive = new Archive(settings.archiveDir(), wiring.database().inbox().jdbi());
        history = wiring.closeable(new InboxHistory(inbox, archive, wiring.mapper()));
        bodies = new BodyReader(settings.bodyTimeout());
        SourceOrigins origins = new SourceOrigins(wiring.jdbi());
        new CollectRoutes(
                        sources,
                        collector,
                        wiring.mapper(),
                        Limits.SEGMENT,
                        disk,
                        bodies,
                        settings.publicUrl(),
                        origins)
                .register(wiring.routes());
        new SdkRoutes(sources, origins, wiring.mapper()).register(wiring.routes());
        new SourceOriginRoutes(sources, origins, wiring.mapper()).register(wiring.routes());
        new InboxRoutes(inbox, sources, collector, wiring.mapper(), wiring.clock()).register(wiring.routes());
        new SourceRoutes(sources, wiring.mapper()).register(wiring.routes());
        new WebhookRoutes(sources, webhookMappings(), collector, wiring.mapper(), disk, bodies)
                .register(wiring.routes());
    }

    private java.util.Map<String, WebhookMapping> webhookMappings() {
        java.util.Map<String, WebhookMapping> mappings = new java.util.HashMap<>();
        for (SourceDeclaration d : declared) {
            if (d.webhook() != null) {
                mappings.put(d.name(), d.webhook());
            }
        }
        return java.util.Map.copyOf(mappings);
    }

    public Sources sources() {
        return sources;
    }

    /** A source's name by its id, or the id when the source is gone. */
    public Function<String, String> sourceName() {
        return id -> sources.byId(id).map(Source::name).orElse(id);
    }

    /** Puts tracking plans in force on the collection path (the plan module, wired after this one, calls it). */
    public void checkPlans(EventPlans plans) {
        collector.checkPlans(plans);
    }

    public Collector collector() {
        return collector;
    }

    public InboxReader inbox() {
        return inbox;
    }

    /** The archive files of events and quarantined events past their retention. */
    public Archive archive() {
        return archive;
    }

    /** The archive and the inbox in seq order, for the processor. */
    public InboxHistory history() {
        return history;
    }

    /** The declared sources, with their retention. */
    public List<SourceDeclaration> declared() {
        return declared;
    }

    public InboxWriter writer() {
        return writer;
    }

    public DiskGuard disk() {
        return disk;
    }

    /** Receives request bodies without holding a worker thread, for routes outside collection (decide). */
    public BodyReader bodies() {
        return bodies;
    }
}
