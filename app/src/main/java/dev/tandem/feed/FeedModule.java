package dev.tandem.feed;

import dev.tandem.audit.AuditLog;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The change feed's wiring: its routes, subscriptions and the {@code feed.deliver} job (an urgent
 * item recorded in the audit trail wakes every subscription's job), and the {@code feed.audiences}
 * job that records audiences whose size moved by more than the set share in a day.
 */
public final class FeedModule implements Module {
    private final AuditLog audit;
    private final Supplier<String> publicUrl;
    private final Settings settings;
    private final Supplier<Map<String, Long>> audienceSizes;

    /**
     * The feed's server settings.
     *
     * @param subscriptionsAllowPrivate whether subscribers may be at internal addresses (tests, a receiver inside the network)
     * @param audienceMovePercent an audience whose size moved by more than this share in a day is a feed item
     */
    public record Settings(boolean subscriptionsAllowPrivate, int audienceMovePercent) {}

    /** @param audienceSizes the size of every audience that is computed, by key, read now */
    public FeedModule(
            AuditLog audit, Supplier<String> publicUrl, Settings settings, Supplier<Map<String, Long>> audienceSizes) {
        this.audit = audit;
        this.publicUrl = publicUrl;
        this.settings = settings;
        this.audienceSizes = audienceSizes;
    }

    @Override
    public String name() {
        return "feed";
    }

    @Override
    public void wire(Wiring wiring) {
        Subscriptions subscriptions = new Subscriptions(wiring.jdbi());
        FeedJson json = new FeedJson(wiring.mapper());
        FeedSender sender = wiring.closeable(
                new FeedSender(wiring.mapper(), json, wiring.clock(), settings.subscriptionsAllowPrivate()));
        wiring.job(new FeedDelivery(subscriptions, audit, sender, wiring.mapper(), wiring.clock()));
        new FeedRoutes(audit, wiring.mapper(), json, publicUrl).register(wiring.routes());
        new SubscriptionRoutes(
                        subscriptions,
                        audit,
                        wiring.scheduler(),
                        wiring.mapper(),
                        wiring.clock(),
                        settings.subscriptionsAllowPrivate())
                .register(wiring.routes());
        wiring.job(
                new AudienceMoves(wiring.jdbi(), audit, audienceSizes, settings.audienceMovePercent(), wiring.clock()));
        // at every start: the baselines are in the table, so a restart loses no day
        wiring.onStart(() -> wiring.scheduler()
                .schedule(AudienceMoves.KIND, AudienceMoves.KEY, wiring.clock().instant(), null));
        audit.onAppend(entry -> FeedItem.of(entry, wiring.mapper())
                .filter(item -> item.topic().urgent())
                .ifPresent(item -> {
                    Instant now = wiring.clock().instant();
                    subscriptions.all().forEach(s -> wiring.scheduler().schedule(FeedDelivery.KIND, s.id(), now, null));
                }));
    }
}
