package dev.tandem.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map for a stage's cached state. Stages run on the processor's one
 * thread, so this needs no locking. Why not Caffeine: its concurrent bookkeeping (read buffers,
 * frequency sketch, maintenance) was about a quarter of the processor's own CPU time in the
 * profile benchmark, for a cache only one thread ever touches.
 */
public final class StageCache<K, V> {
    private final LinkedHashMap<K, V> map;

    public StageCache(long maximumSize) {
        int max = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1, maximumSize));
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /** The value, or null; a hit makes the entry the most recently used. */
    public V getIfPresent(K key) {
        return map.get(key);
    }

    public void put(K key, V value) {
        map.put(key, value);
    }

    public void putAll(Map<? extends K, ? extends V> values) {
        map.putAll(values);
    }

    public void invalidate(K key) {
        map.remove(key);
    }

    public void invalidateAll() {
        map.clear();
    }
}
