package dev.tandem.connect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destinations running now: those of tandem.yaml, then those made through the admin API, which
 * come and go while the server runs. Readers (the outbox stage on every batch, the routes, the
 * health job) take an immutable snapshot without a lock; the few writers swap it under this
 * object's lock. Each destination is opened (connector, delivery thread, metrics) by the opener
 * given, started when the server is, and closed when removed or at shutdown.
 */
final class DestinationSet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DestinationSet.class);

    private final Set<String> workspace;
    private final Function<DestinationConfig, Destination> opener;
    private final java.util.function.Consumer<String> closed;
    private volatile Map<String, Destination> byKey = Map.of();
    private volatile List<DestinationConfig> configs = List.of();
    private boolean started;

    /**
     * @param workspace the keys tandem.yaml declares: the API may not change them
     * @param closed    told the key of each destination removed, after it stopped (its metrics go)
     */
    DestinationSet(
            Set<String> workspace,
            Function<DestinationConfig, Destination> opener,
            java.util.function.Consumer<String> closed) {
        this.workspace = Set.copyOf(workspace);
        this.opener = opener;
        this.closed = closed;
    }

    Destination get(String key) {
        return byKey.get(key);
    }

    Collection<Destination> all() {
        return byKey.values();
    }

    Set<String> keys() {
        return byKey.keySet();
    }

    /** The configurations of every destination, in order: what the outbox stage reads each batch. */
    List<DestinationConfig> configs() {
        return configs;
    }

    boolean declaredInWorkspace(String key) {
        return workspace.contains(key);
    }

    /** Opens a destination and makes it live (started at once if the server runs); a running one of the key is replaced. */
    synchronized Destination put(DestinationConfig config) {
        Destination previous = byKey.get(config.key());
        if (previous != null) {
            stop(previous);
            closed.accept(previous.key());
        }
        Destination d = opener.apply(config);
        Map<String, Destination> next = new LinkedHashMap<>(byKey);
        next.put(config.key(), d);
        publish(next);
        if (started) {
            d.worker().start();
        }
        return d;
    }

    /** Stops a destination: no row is written for it from now on, and its thread and connector close. */
    synchronized boolean remove(String key) {
        Destination d = byKey.get(key);
        if (d == null) {
            return false;
        }
        Map<String, Destination> next = new LinkedHashMap<>(byKey);
        next.remove(key);
        publish(next);
        stop(d);
        closed.accept(key);
        return true;
    }

    synchronized void start() {
        started = true;
        byKey.values().forEach(d -> d.worker().start());
    }

    private void publish(Map<String, Destination> next) {
        List<DestinationConfig> list = new ArrayList<>(next.size());
        next.values().forEach(d -> list.add(d.config()));
        byKey = java.util.Collections.unmodifiableMap(next);
        configs = List.copyOf(list);
    }

    private static void stop(Destination d) {
        try {
            d.worker().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            d.connector().close();
        } catch (Exception e) {
            log.atWarn()
                    .setCause(e)
                    .addKeyValue("destination", d.key())
                    .log("the destination's connector failed to close; its resources may linger until exit");
        }
    }

    @Override
    public synchronized void close() {
        byKey.values().forEach(DestinationSet::stop);
        publish(Map.of());
    }
}
