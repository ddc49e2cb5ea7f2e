package dev.tandem.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.audit.AuditEntry;
import dev.tandem.audit.AuditLog;
import dev.tandem.schedule.Due;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Next;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code feed.deliver}, one job per subscription: urgent items it wants go at once, one POST each;
 * the rest go as one digest a day. Positions move only after the subscriber's 2xx, so an item is
 * delivered at least once, and with the same {@code webhook-id} when it goes again. Woken when an
 * urgent item is recorded; it also looks again every {@link #LOOK_EVERY}, in case a wake-up came while
 * it was finishing a run.
 */
final class FeedDelivery implements Job {
    static final String KIND = "feed.deliver";
    static final Duration DIGEST_EVERY = Duration.ofDays(1);
    static final Duration LOOK_EVERY = Duration.ofMinutes(1);
    private static final int PAGE = 500;

    private final Subscriptions subscriptions;
    private final AuditLog audit;
    private final FeedSender sender;
    private final ObjectMapper mapper;
    private final Clock clock;

    FeedDelivery(Subscriptions subscriptions, AuditLog audit, FeedSender sender, ObjectMapper mapper, Clock clock) {
        this.subscriptions = subscriptions;
        this.audit = audit;
        this.sender = sender;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Next run(Due due) {
        Subscription s = subscriptions.get(due.key()).orElse(null);
        if (s == null) {
            return Next.done();
        }
        Subscription.Positions p = s.positions();
        long urgentAfter = p.urgentAfter();
        List<AuditEntry> urgentPage = audit.page(AuditLog.Filter.ALL, urgentAfter, PAGE);
        boolean more = urgentPage.size() == PAGE;
        for (AuditEntry e : urgentPage) {
            FeedItem item = FeedItem.of(e, mapper).orElse(null);
            if (item != null && item.topic().urgent() && s.wants(item)) {
                sender.send(s, "tandem-feed-" + s.id() + "-" + item.id(), List.of(item), false);
                subscriptions.moved(s.id(), new Subscription.Positions(e.id(), p.digestAfter(), p.digestDueAt()));
            }
            urgentAfter = e.id();
        }
        long now = clock.millis();
        long digestAfter = p.digestAfter();
        long digestDue = p.digestDueAt();
        if (now >= digestDue) {
            List<FeedItem> digest = new ArrayList<>();
            List<AuditEntry> digestPage = audit.page(AuditLog.Filter.ALL, digestAfter, PAGE);
            boolean rest = digestPage.size() == PAGE;
            more |= rest;
            for (AuditEntry e : digestPage) {
                FeedItem.of(e, mapper)
                        .filter(i -> !i.topic().urgent() && s.wants(i))
                        .ifPresent(digest::add);
                digestAfter = e.id();
            }
            if (!digest.isEmpty()) {
                sender.send(s, "tandem-digest-" + s.id() + "-" + digestAfter, digest, true);
            }
            // a digest longer than a page goes as several, one after the other; the next day's is due after the last
            while (!rest && digestDue <= now) {
                digestDue += DIGEST_EVERY.toMillis();
            }
        }
        subscriptions.moved(s.id(), new Subscription.Positions(urgentAfter, digestAfter, digestDue));
        return Next.again(Instant.ofEpochMilli(more ? now : Math.min(digestDue, now + LOOK_EVERY.toMillis())));
    }
}
