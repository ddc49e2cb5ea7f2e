package dev.tandem.feed;

import java.util.List;

/**
 * A subscriber's webhook: the topics it wants, as {@code json} ({@code {"items": [...]}}) or {@code
 * slack} ({@code {"text": ...}}), signed with {@code secret}. {@code urgentAfter} and {@code
 * digestAfter} are the audit entry ids up to which each kind of item was delivered; {@code digestDueAt}
 * is when the next digest goes.
 */
record Subscription(String id, String url, List<Topic> topics, String format, String secret, Positions positions) {
    record Positions(long urgentAfter, long digestAfter, long digestDueAt) {}

    boolean wants(FeedItem item) {
        return topics.contains(item.topic());
    }

    /** Without the secrets: the URL as scheme and host, no signing key. */
    @Override
    public String toString() {
        return "Subscription[" + id + " to " + ReceiverAddress.redacted(url) + ", " + topics + ", " + format + "]";
    }
}
