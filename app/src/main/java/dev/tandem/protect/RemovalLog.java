package dev.tandem.protect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts removed fields by source, path and reason between flushes, so the request path only
 * increments a counter; the catalog's flush writes the counts. Values are never held.
 */
final class RemovalLog {
    record Key(String sourceId, String path, String reason) {}

    private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

    void removed(String sourceId, String path, String reason) {
        pending.computeIfAbsent(new Key(sourceId, path, reason), k -> new LongAdder())
                .increment();
    }

    /** Takes the counts gathered so far; a count added meanwhile stays for the next call. */
    Map<Key, Long> drain() {
        Map<Key, Long> out = new java.util.HashMap<>();
        for (var e : pending.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n > 0) {
                out.put(e.getKey(), n);
            }
        }
        return out;
    }

    /** Puts counts back after a failed write, so none are lost. */
    void restore(Map<Key, Long> counts) {
        counts.forEach(
                (k, n) -> pending.computeIfAbsent(k, x -> new LongAdder()).add(n));
    }
}
