package dev.tandem.connect;

import dev.tandem.expr.Expression;
import dev.tandem.govern.Flow;
import dev.tandem.govern.Qualified;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One destination as tandem.yaml declares it: its key, how to reach it, what it subscribes to,
 * who owns it and what for, and its service-level objectives. Read by {@link DestinationConfigs}.
 */
public record DestinationConfig(
        String key, Connection connection, Subscription subscription, Ownership ownership, Sla sla) {

    /** The connector type and its settings, and how long an item is retried before it is a dead letter. */
    public record Connection(ConnectorType type, Settings settings, Duration retryWindow) {}

    /**
     * What is sent: events for which {@code events} holds (null: none), profile trait updates as
     * identify calls when {@code identifies}, and entering and leaving these audiences; each message
     * shaped by the {@code mapping} before the policy gate.
     */
    public record Subscription(
            Expression events, boolean identifies, List<String> audiences, DestinationMapping mapping) {
        public Subscription {
            audiences = List.copyOf(audiences);
        }
    }

    /**
     * Who answers for it, the purposes it serves and its risk tier (the gate reads these two), and
     * the conditions its approval attached (applied to every item after the gate's rules).
     */
    public record Ownership(List<String> owners, List<String> purposes, Flow.RiskTier riskTier, Qualified conditions) {
        public Ownership {
            owners = List.copyOf(owners);
            purposes = List.copyOf(purposes);
        }
    }

    /**
     * The objectives, measured over {@code window}: the share of delivery attempts acknowledged,
     * the 95th percentile from receipt to acknowledgement, and the age the oldest waiting item may
     * reach; state changes are POSTed to {@code alertUrl} when there is one.
     */
    public record Sla(
            double deliveredRatio,
            Duration latencyP95,
            Duration maxBacklogAge,
            Duration window,
            Optional<URI> alertUrl) {
        public static final Sla DEFAULT =
                new Sla(0.99, Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Optional.empty());
    }

    /** The flow the policy gate decides for each item sent here. */
    public Flow flow() {
        return new Flow(Flow.Kind.DESTINATION, key, ownership.purposes(), ownership.riskTier(), "", "");
    }
}
