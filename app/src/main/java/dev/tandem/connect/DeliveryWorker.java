package dev.tandem.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's delivery, on its own thread, so a slow or dead tool slows only itself. Each
 * step sends one batch: parked rows that are due (a failed batch again, as the same batch with
 * the same id; or rows that waited behind an earlier row of their profile), else the next outbox
 * rows after the cursor. Order per profile: a row whose profile has a row parked waits behind it
 * (parked, not sent) while other profiles go on; the escape hatch is the retry window, after which
 * the stuck row is a dead letter and the next goes.
 *
 * <p>At least once, nothing lost: the end of a batch is recorded before it is sent (in a backlog, by
 * the commit that settled the batch before it), and what became of each row (parked,
 * dead-lettered) is committed together with the cursor's move; after a crash the same rows go
 * again as the same batch.
 */
final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int SCAN = 5_000;
    /** How often an idle worker looks at the clock (a test clock moves without telling it). */
    private static final long IDLE_MILLIS = 50;
    /** How often it reads the outbox unasked, for rows another process wrote. */
    private static final long SAFETY_MILLIS = 1_000;

    private final DestinationConfig config;
    private final String key;
    private final int maxBatch;
    private final OutboxStore store;
    private final Attempt attempt;
    private final DestinationStats stats;
    private final Clock clock;
    private final Breaker breaker = new Breaker();
    private final Object signal = new Object();
    private final Map<Long, Integer> parkedProfiles = new HashMap<>();
    private final Set<Long> knownRecipients = new HashSet<>();
    private volatile boolean woken = true;
    private volatile boolean open = true;
    private volatile long position;
    private long inflightTo;
    /** The rows up to {@link #inflightTo} when the last commit recorded them as the next batch, else null. */
    private List<OutboxRow> marked;

    private long retryDueAt;
    private long lastFreshLook;
    private boolean loaded;
    private Thread thread;

    DeliveryWorker(
            DestinationConfig config,
            int maxBatch,
            OutboxStore store,
            Attempt attempt,
            DestinationStats stats,
            Clock clock) {
        this.config = config;
        this.key = config.key();
        this.maxBatch = maxBatch;
        this.store = store;
        this.attempt = attempt;
        this.stats = stats;
        this.clock = clock;
    }

    void start() {
        thread = Thread.ofPlatform().name("deliver-" + key).daemon(true).start(this::run);
    }

    /** New outbox rows were committed, or the clock moved: look now. */
    void wake() {
        woken = true;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    Breaker.State breaker() {
        return breaker.state();
    }

    long position() {
        return position;
    }

    private void run() {
        while (open) {
            try {
                if (!loaded) {
                    load();
                }
                if (!step()) {
                    idle(IDLE_MILLIS);
                }
            } catch (RuntimeException e) {
                log.atWarn()
                        .setCause(e)
                        .addKeyValue("destination", key)
                        .log("delivery failed on Tandem's side; trying again in a second");
                loaded = false;
                idle(1_000);
            }
        }
    }

    private void load() {
        OutboxStore.Position p = store.position(key);
        position = p.position();
        inflightTo = p.inflightTo();
        marked = null;
        parkedProfiles.clear();
        parkedProfiles.putAll(store.parkedProfiles(key));
        retryDueAt = 0;
        loaded = true;
    }

    private void idle(long millis) {
        synchronized (signal) {
            if (!woken && open) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    open = false;
                }
            }
        }
    }

    /** Sends one batch if one is due; false when there was nothing to do. */
    private boolean step() {
        long now = clock.millis();
        if (!breaker.allows(now)) {
            return false;
        }
        if (now >= retryDueAt && !parkedProfiles.isEmpty() && retry(now)) {
            return true;
        }
        if (breaker.probing()) {
            return false;
        }
        boolean look = woken || now - lastFreshLook >= SAFETY_MILLIS || inflightTo > position;
        woken = false;
        if (!look) {
            return false;
        }
        lastFreshLook = now;
        boolean sent = fresh(now);
        if (sent) {
            woken = true; // a full page may have more behind it: look again at once
        }
        return sent;
    }

    private boolean fresh(long now) {
        boolean recovering = inflightTo > position;
        List<OutboxRow> rows = marked != null && recovering
                ? marked
                : store.fresh(key, position, recovering ? inflightTo : Long.MAX_VALUE, maxBatch);
        marked = null;
        if (rows.isEmpty()) {
            if (recovering) {
                long end = inflightTo;
                store.inTransaction(h -> store.advance(h, key, end));
                position = end;
                inflightTo = 0;
            }
            return false;
        }
        long last = rows.get(rows.size() - 1).id();
        List<OutboxRow> waiting = new ArrayList<>();
        List<OutboxRow> send = new ArrayList<>();
        for (OutboxRow r : rows) {
            (parkedProfiles.containsKey(r.profileId()) ? waiting : send).add(r);
        }
        if (!send.isEmpty() && !recovering) {
            store.markInflight(key, last);
            inflightTo = last;
        }
        List<Fate> fates = send.isEmpty() ? List.of() : attempt.run(batchId(send), send, clock.instant());
        Map<Long, Integer> delta = new HashMap<>();
        List<Long> dues = new ArrayList<>();
        // The next batch's end is recorded in this batch's settling commit, so that a backlog costs one
        // bookkeeping commit per batch instead of two (SQLite has one writer, shared by every
        // destination and the processor). Read before the transaction, to hold the write lock briefly.
        List<OutboxRow> ahead = rows.size() < maxBatch ? List.of() : store.fresh(key, last, Long.MAX_VALUE, maxBatch);
        long aheadTo = ahead.isEmpty() ? 0 : ahead.get(ahead.size() - 1).id();
        store.inTransaction(h -> {
            for (OutboxRow w : waiting) {
                store.park(
                        h, key, new Parked(w.id(), w.profileId(), null, 0, 0, now, "waiting behind an earlier item"));
                delta.merge(w.profileId(), 1, Integer::sum);
            }
            settle(h, batchId(send), fates, Map.of(), now, delta, dues);
            store.advance(h, key, last, aheadTo);
        });
        committed(delta, dues, fates);
        position = last;
        inflightTo = aheadTo;
        marked = ahead.isEmpty() ? null : ahead;
        return true;
    }

    private boolean retry(long now) {
        List<Parked> rows = store.parked(key, SCAN);
        Set<Long> blocked = new HashSet<>();
        String group = null;
        boolean waitingUnit = false;
        long nextDue = Long.MAX_VALUE;
        List<Parked> unit = new ArrayList<>();
        for (Parked p : rows) {
            if (group != null && group.equals(p.batch())) {
                unit.add(p);
            } else if (blocked.contains(p.profileId())) {
                continue;
            } else if (!p.waiting()) {
                if (group == null && !waitingUnit && p.notBefore() <= now) {
                    group = p.batch();
                    unit.add(p);
                } else {
                    blocked.add(p.profileId());
                    nextDue = Math.min(nextDue, p.notBefore());
                }
            } else if (group == null && unit.size() < maxBatch) {
                waitingUnit = true;
                unit.add(p);
            } else {
                blocked.add(p.profileId());
            }
        }
        if (unit.isEmpty()) {
            retryDueAt = rows.size() >= SCAN ? now + 1_000 : nextDue;
            return false;
        }
        retryDueAt = now;
        Map<Long, Parked> before = new HashMap<>();
        unit.forEach(p -> before.put(p.outboxId(), p));
        Map<Long, OutboxRow> found = store.rows(before.keySet());
        List<OutboxRow> send = new ArrayList<>();
        List<Parked> gone = new ArrayList<>();
        for (Parked p : unit) {
            OutboxRow r = found.get(p.outboxId());
            if (r == null) {
                gone.add(p);
            } else {
                send.add(r);
            }
        }
        String id = group != null ? group : batchId(send);
        List<Fate> fates = send.isEmpty() ? List.of() : attempt.run(id, send, clock.instant());
        Map<Long, Integer> delta = new HashMap<>();
        List<Long> dues = new ArrayList<>();
        store.inTransaction(h -> {
            for (Parked p : gone) {
                store.unpark(h, key, p.outboxId());
                delta.merge(p.profileId(), -1, Integer::sum);
            }
            settle(h, id, fates, before, now, delta, dues);
        });
        committed(delta, dues, fates);
        return true;
    }

    /** Records what became of each row, in the caller's transaction; {@code before}: the rows' parked state, if parked. */
    private void settle(
            org.jdbi.v3.core.Handle h,
            String id,
            List<Fate> fates,
            Map<Long, Parked> before,
            long now,
            Map<Long, Integer> delta,
            List<Long> dues) {
        List<Fate> retries =
                fates.stream().filter(f -> f.kind() == Fate.Kind.RETRY).toList();
        String retryBatch = retries.size() == fates.size()
                ? id
                : batchId(retries.stream().map(Fate::row).toList());
        List<Long> recipients = new ArrayList<>();
        for (Fate f : fates) {
            OutboxRow r = f.row();
            Parked prev = before.get(r.id());
            switch (f.kind()) {
                case DELIVERED, DENIED, GONE -> {
                    if (f.kind() == Fate.Kind.DELIVERED
                            && r.profileId() != 0
                            && !knownRecipients.contains(r.profileId())) {
                        recipients.add(r.profileId());
                    }
                    unparked(h, r, prev, delta);
                }
                case REJECTED -> {
                    Outcome.Rejected o = (Outcome.Rejected) f.outcome();
                    int attempts = prev == null ? 1 : prev.attempts() + 1;
                    store.deadLetter(
                            h,
                            key,
                            r,
                            new DeadLetter.Attempt(now, attempts, o.reason(), o.response(), 0),
                            f.hadText(),
                            f.sentText());
                    unparked(h, r, prev, delta);
                }
                case RETRY -> {
                    Outcome.Retry o = (Outcome.Retry) f.outcome();
                    int attempts = prev == null || prev.waiting() ? 1 : prev.attempts() + 1;
                    long first = prev == null || prev.waiting() ? now : prev.firstAttemptAt();
                    long windowEnd = first + config.connection().retryWindow().toMillis();
                    if (now >= windowEnd) {
                        String reason = "gave up after " + attempts + " attempts over "
                                + config.connection().retryWindow().toMinutes() + " minutes; the last: " + o.reason();
                        store.deadLetter(
                                h,
                                key,
                                r,
                                new DeadLetter.Attempt(now, attempts, reason, o.response(), 0),
                                f.hadText(),
                                f.sentText());
                        unparked(h, r, prev, delta);
                    } else {
                        long next = Math.min(Backoff.next(now, attempts, o.notBefore()), windowEnd);
                        store.park(
                                h,
                                key,
                                new Parked(r.id(), r.profileId(), retryBatch, attempts, next, first, o.reason()));
                        if (prev == null) {
                            delta.merge(r.profileId(), 1, Integer::sum);
                        }
                        dues.add(next);
                    }
                }
            }
        }
        if (!recipients.isEmpty()) {
            store.received(h, key, recipients);
        }
    }

    private void unparked(org.jdbi.v3.core.Handle h, OutboxRow r, Parked prev, Map<Long, Integer> delta) {
        if (prev != null) {
            store.unpark(h, key, r.id());
            delta.merge(r.profileId(), -1, Integer::sum);
        }
    }

    /** After the commit: memory follows the tables, the breaker and the SLA window learn the outcome. */
    private void committed(Map<Long, Integer> delta, List<Long> dues, List<Fate> fates) {
        delta.forEach((profile, d) -> {
            int n = parkedProfiles.getOrDefault(profile, 0) + d;
            if (n <= 0) {
                parkedProfiles.remove(profile);
            } else {
                parkedProfiles.put(profile, n);
            }
        });
        for (long due : dues) {
            retryDueAt = Math.min(retryDueAt, due);
        }
        long now = clock.millis();
        long[] latencies = new long[fates.size()];
        int delivered = 0;
        int failed = 0;
        boolean retried = false;
        boolean refused = false;
        for (Fate f : fates) {
            switch (f.kind()) {
                case DELIVERED -> {
                    latencies[delivered++] = now - f.row().receivedAt();
                    stats.delivered.increment();
                    if (knownRecipients.size() > 100_000) {
                        knownRecipients.clear();
                    }
                    knownRecipients.add(f.row().profileId());
                }
                case RETRY -> {
                    failed++;
                    retried = true;
                    stats.retried.increment();
                }
                case REJECTED -> {
                    failed++;
                    refused |= f.sent() != null; // a mapping's rejection was never sent: it says nothing of the tool
                    stats.rejected.increment();
                    stats.deadLettered.increment();
                }
                case DENIED -> stats.denied.increment();
                case GONE -> stats.gone.increment();
            }
        }
        stats.window.record(now, latencies, delivered, failed);
        // an answer that refuses is an answer: the endpoint is alive
        if (delivered > 0 || refused) {
            breaker.succeeded();
        } else if (retried) {
            breaker.failed(now);
            if (breaker.state() == Breaker.State.OPEN) {
                log.atWarn()
                        .addKeyValue("destination", key)
                        .addKeyValue("until", java.time.Instant.ofEpochMilli(breaker.openUntil()))
                        .log("the destination keeps failing; its circuit breaker is open and will probe it");
            }
        }
    }

    /** A batch's delivery id, from its rows: the same rows give the same id. */
    String batchId(List<OutboxRow> rows) {
        StringBuilder text = new StringBuilder(key).append(':');
        for (OutboxRow r : rows) {
            text.append(r.id()).append(',');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        wake();
        if (thread != null) {
            thread.join(5_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
        }
    }
}
