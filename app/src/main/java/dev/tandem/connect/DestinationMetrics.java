package dev.tandem.connect;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics per destination (tag {@code destination}): counters of items delivered,
 * retried, rejected, dead-lettered and denied by the gate; gauges of the last health evaluation:
 * state (0 healthy, 1 degraded, 2 breached), backlog, oldest waiting age, delivered ratio and p95
 * latency.
 */
final class DestinationMetrics {
    private DestinationMetrics() {}

    /** Removes a destination's meters, once it stopped (deleted, or replaced by a changed one). */
    static void remove(MeterRegistry meters, String key) {
        for (Meter m : List.copyOf(meters.getMeters())) {
            if (m.getId().getName().startsWith("tandem.destination.")
                    && key.equals(m.getId().getTag("destination"))) {
                meters.remove(m);
            }
        }
    }

    static void register(MeterRegistry meters, Destination d, SlaMonitor monitor) {
        {
            counter(meters, d, "delivered", "items the tool acknowledged", s -> s.delivered);
            counter(meters, d, "retries", "attempts that failed and will be tried again", s -> s.retried);
            counter(meters, d, "rejected", "items the tool refused for good", s -> s.rejected);
            counter(
                    meters,
                    d,
                    "dead.lettered",
                    "items kept as dead letters (refused or given up on)",
                    s -> s.deadLettered);
            counter(meters, d, "denied", "items the policy gate denied (not sent)", s -> s.denied);
            gauge(
                    meters,
                    d,
                    monitor,
                    "state",
                    "0 healthy, 1 degraded, 2 breached",
                    h -> h.state().ordinal());
            gauge(
                    meters,
                    d,
                    monitor,
                    "backlog",
                    "items waiting: after the cursor and parked",
                    h -> h.waiting().count());
            gauge(
                    meters,
                    d,
                    monitor,
                    "oldest.waiting.seconds",
                    "age of the oldest waiting item",
                    h -> h.waiting().oldestReceivedAt() == 0
                            ? 0
                            : (monitor.now() - h.waiting().oldestReceivedAt()) / 1000.0);
            gauge(
                    meters,
                    d,
                    monitor,
                    "delivered.ratio",
                    "share of attempts acknowledged in the SLA window",
                    h -> h.totals().deliveredRatio());
            gauge(
                    meters,
                    d,
                    monitor,
                    "latency.p95.seconds",
                    "receipt to acknowledgement, 95th percentile",
                    h -> h.totals().p95Millis() / 1000.0);
        }
    }

    private static void counter(
            MeterRegistry meters, Destination d, String name, String doc, Function<DestinationStats, LongAdder> of) {
        FunctionCounter.builder(
                        "tandem.destination." + name,
                        d.stats(),
                        s -> of.apply(s).sum())
                .description(doc)
                .tag("destination", d.key())
                .register(meters);
    }

    private static void gauge(
            MeterRegistry meters,
            Destination d,
            SlaMonitor monitor,
            String name,
            String doc,
            ToDoubleFunction<Health> of) {
        Gauge.builder("tandem.destination." + name, monitor, m -> {
                    Health h = m.latest(d.key());
                    return h == null ? 0 : of.applyAsDouble(h);
                })
                .description(doc)
                .tag("destination", d.key())
                .register(meters);
    }
}
