package dev.tandem.protect;

import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of {@link EventKeys}: keys stored before anyone needs one, refilled by a thread of its
 * own in chunks (one key store transaction each), which also stores the links of the keys given
 * out every {@link EventKeys#FLUSH_MS} ms. It starts small and doubles its size each time a
 * request finds it empty, so a quiet server keeps few keys in it and a busy one enough.
 */
final class EventKeyPool {
    private static final int START = 512;
    private static final int MAX = 32_768;
    private static final int CHUNK = 2_048;
    private static final Logger log = LoggerFactory.getLogger(EventKeyPool.class);

    private final EventKeys keys;
    private final ConcurrentLinkedQueue<EventKeys.EventKey> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();
    private volatile int target = START;
    private volatile LongSupplier latestSeq;
    private volatile Thread filler;
    private volatile boolean open = true;

    EventKeyPool(EventKeys keys) {
        this.keys = keys;
    }

    /** A stored key nobody has, or null when the pool is empty (or not started). */
    EventKeys.EventKey take() {
        EventKeys.EventKey key = pool.poll();
        if (key != null) {
            if (pooled.decrementAndGet() < target / 2) {
                wake();
            }
            return key;
        }
        if (filler != null && target < MAX) {
            target = Math.min(MAX, target * 2);
            wake();
        }
        return null;
    }

    void start(LongSupplier latestSeq) {
        this.latestSeq = latestSeq;
        Thread t = new Thread(this::run, "event-key-pool");
        t.setDaemon(true);
        filler = t;
        t.start();
    }

    private void run() {
        long marked = -1;
        while (open) {
            try {
                if (pooled.get() < target) {
                    List<EventKeys.EventKey> made = keys.makeUnassigned(Math.min(CHUNK, target - pooled.get()));
                    pool.addAll(made);
                    pooled.addAndGet(made.size());
                }
                long seq = latestSeq.getAsLong();
                if (seq != marked || keys.linksWaiting()) {
                    keys.storeLinks(seq);
                    marked = seq;
                }
                if (pooled.get() >= target / 2) {
                    LockSupport.parkNanos(EventKeys.FLUSH_MS * 1_000_000);
                }
            } catch (RuntimeException | SQLException | GeneralSecurityException e) {
                log.atWarn()
                        .addKeyValue("cause", e.getMessage())
                        .log("the event key pool could not be filled or its links stored; retrying in a second");
                LockSupport.parkNanos(1_000_000_000L);
            }
        }
    }

    private void wake() {
        Thread t = filler;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Stops the thread; returns the inbox's newest seq, read after it stopped (the watermark for the
     * last links), or -1 when the inbox cannot tell any more.
     */
    long stop() {
        open = false;
        Thread t = filler;
        if (t == null) {
            return -1;
        }
        LockSupport.unpark(t);
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return latestSeq.getAsLong();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The keys left in the pool, taken out of it. */
    List<EventKeys.EventKey> drain() {
        List<EventKeys.EventKey> left = new ArrayList<>();
        for (EventKeys.EventKey k; (k = pool.poll()) != null; ) {
            left.add(k);
        }
        return left;
    }
}
