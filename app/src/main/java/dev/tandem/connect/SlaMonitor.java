package dev.tandem.connect;

import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import dev.tandem.config.JsonText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each destination against its objectives and keeps its state: evaluated every 10
 * seconds by the {@code destinations.health} job and when health is read. Each change of state is
 * recorded (history), logged, and POSTed to the destination's alert URL when it has one: one
 * notification per change, the recovery included.
 */
final class SlaMonitor {
    private static final Logger log = LoggerFactory.getLogger(SlaMonitor.class);

    private final OutboxStore store;
    private final Alerts alerts;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, Health.State> states = new ConcurrentHashMap<>();
    private final Map<String, Health> latest = new ConcurrentHashMap<>();

    SlaMonitor(OutboxStore store, Alerts alerts, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** The last evaluation, for metrics; null before the first. */
    Health latest(String key) {
        return latest.get(key);
    }

    long now() {
        return clock.millis();
    }

    /** Measures now; records, logs and alerts when the state changed. */
    synchronized Health evaluate(Destination d) {
        long now = clock.millis();
        DestinationConfig.Sla sla = d.config().sla();
        SlaWindow.Totals totals = d.stats().window.totals(now);
        OutboxStore.Waiting waiting = store.waiting(d.key(), d.worker().position());
        long oldestAge = waiting.oldestReceivedAt() == 0 ? 0 : Math.max(0, now - waiting.oldestReceivedAt());
        double allowedRate = 1 - sla.deliveredRatio();
        double failureRate = 1 - totals.deliveredRatio();
        Health.Budget budget =
                new Health.Budget(Math.max(0, Math.min(1, 1 - failureRate / allowedRate)), failureRate / allowedRate);
        List<String> breached = new ArrayList<>();
        List<String> close = new ArrayList<>();
        if (totals.deliveredRatio() < sla.deliveredRatio()) {
            breached.add(String.format(
                    Locale.ROOT,
                    "delivered ratio %.4f is below the objective %.4f",
                    totals.deliveredRatio(),
                    sla.deliveredRatio()));
        } else if (budget.remaining() < 0.5) {
            close.add(
                    String.format(Locale.ROOT, "%.0f%% of the error budget is spent", 100 * (1 - budget.remaining())));
        }
        long p95Limit = sla.latencyP95().toMillis();
        if (totals.p95Millis() > p95Limit) {
            breached.add("p95 latency " + totals.p95Millis() + " ms is above the objective " + p95Limit + " ms");
        } else if (totals.p95Millis() > p95Limit * 0.8) {
            close.add("p95 latency " + totals.p95Millis() + " ms is within 20% of the objective " + p95Limit + " ms");
        }
        long ageLimit = sla.maxBacklogAge().toMillis();
        if (oldestAge > ageLimit) {
            breached.add("the oldest waiting item is " + oldestAge / 1000 + " s old; the objective is "
                    + ageLimit / 1000 + " s");
        } else if (oldestAge > ageLimit / 2) {
            close.add("the oldest waiting item is " + oldestAge / 1000 + " s old, past half the objective");
        }
        if (d.worker().breaker() != Breaker.State.CLOSED) {
            close.add("the circuit breaker is "
                    + d.worker().breaker().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + ": the endpoint keeps failing");
        }
        Health.State state = !breached.isEmpty()
                ? Health.State.BREACHED
                : close.isEmpty() ? Health.State.HEALTHY : Health.State.DEGRADED;
        List<String> reasons = new ArrayList<>(breached);
        reasons.addAll(close);
        if (reasons.isEmpty()) {
            reasons.add("every objective is met");
        }
        Health health = new Health(state, totals, waiting, budget, List.copyOf(reasons));
        latest.put(d.key(), health);
        Health.State before = states.computeIfAbsent(d.key(), k -> last(k));
        if (before != state) {
            states.put(d.key(), state);
            store.state(d.key(), now, state.wireName(), JsonText.of(reasons));
            log.atWarn()
                    .addKeyValue("destination", d.key())
                    .addKeyValue("from", before.wireName())
                    .addKeyValue("to", state.wireName())
                    .addKeyValue("reasons", String.join("; ", reasons))
                    .log("destination health changed");
            d.config().sla().alertUrl().ifPresent(url -> alerts.send(url, d.key(), before, health, now));
            audit.append(
                    "system",
                    AuditKind.SLA_STATE_CHANGED,
                    "destination:" + d.key(),
                    Map.of("state", state.wireName(), "previous", before.wireName(), "reasons", List.copyOf(reasons)));
        }
        return health;
    }

    private Health.State last(String key) {
        List<OutboxStore.StateChange> latest = store.states(key, 1);
        return latest.isEmpty()
                ? Health.State.HEALTHY
                : Health.State.valueOf(latest.get(0).state().toUpperCase(Locale.ROOT));
    }
}
