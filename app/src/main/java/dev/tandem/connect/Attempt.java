package dev.tandem.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.expr.Facts;
import dev.tandem.govern.Decision;
import dev.tandem.govern.Gate;
import dev.tandem.govern.Subject;
import dev.tandem.profile.ProfileReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One attempt at a batch of outbox rows: builds each row's message, asks the policy gate with the
 * destination's flow after applying its mapping (a deny is recorded by the gate's log and nothing
 * is sent; obligations apply to the copy sent; a mapping that fails for an item rejects that item
 * with the reason), hands what may leave to the connector, and says per row what became of
 * it. Deletions (an erasure's) pass without the gate: they carry no data for a purpose, they
 * exercise a right.
 */
final class Attempt {
    private static final Map<String, Object> NOBODY = Facts.profile(null, Map.of());
    private final DestinationConfig config;
    private final Connector connector;
    private final Messages messages;
    private final Gate gate;
    private final ProfileReader profiles;

    Attempt(DestinationConfig config, Connector connector, Messages messages, Gate gate, ProfileReader profiles) {
        this.config = config;
        this.connector = connector;
        this.messages = messages;
        this.gate = gate;
        this.profiles = profiles;
    }

    List<Fate> run(String batchId, List<OutboxRow> rows, java.time.Instant now) {
        Map<Long, ObjectNode> built = messages.build(rows);
        Set<Long> subjects = new HashSet<>();
        rows.forEach(r -> {
            if (r.profileId() != 0 && built.containsKey(r.id())) {
                subjects.add(r.profileId());
            }
        });
        Map<Long, ProfileReader.Consent> consents = subjects.isEmpty() ? Map.of() : profiles.consents(subjects);
        DestinationMapping mapping = config.subscription().mapping();
        Map<Long, Map<String, Object>> facts = mapping.isEmpty() ? Map.of() : messages.profileFacts(subjects);
        Fate[] fates = new Fate[rows.size()];
        List<Delivery> deliveries = new ArrayList<>();
        List<Integer> sentAt = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow r = rows.get(i);
            ObjectNode had = built.get(r.id());
            if (had == null) {
                fates[i] = new Fate(r, Fate.Kind.GONE, null, null, null);
                continue;
            }
            ObjectNode sent = had;
            if (!"delete".equals(had.path("type").asText())) {
                ObjectNode mapped = had;
                if (!mapping.isEmpty()) {
                    mapped = had.deepCopy();
                    String failed =
                            mapping.apply(mapped, Facts.mapping(facts.getOrDefault(r.profileId(), NOBODY), had));
                    if (failed != null) {
                        fates[i] = new Fate(r, Fate.Kind.REJECTED, new Outcome.Rejected(failed, ""), had, null);
                        continue;
                    }
                }
                ProfileReader.Consent c = consents.get(r.profileId());
                Subject subject = c == null ? Subject.NONE : new Subject(r.profileId(), c.allowed(), c.gpc());
                // the mapped message goes to the gate: its obligations have the last word on what leaves
                Decision decision = config.ownership()
                        .conditions()
                        .apply(gate.decide(config.flow(), subject, mapped), now.toEpochMilli());
                if (decision instanceof Decision.Deny) {
                    fates[i] = new Fate(r, Fate.Kind.DENIED, null, had, null);
                    continue;
                }
                sent = decision.payload();
            }
            fates[i] = new Fate(r, null, null, had, sent);
            deliveries.add(new Delivery(sent.path("messageId").asText(), r.profileId(), sent));
            sentAt.add(i);
        }
        if (!deliveries.isEmpty()) {
            List<Outcome> outcomes = send(new DeliveryBatch(batchId, deliveries), now);
            for (int k = 0; k < sentAt.size(); k++) {
                Fate f = fates[sentAt.get(k)];
                Outcome o = outcomes.get(k);
                Fate.Kind kind = switch (o) {
                    case Outcome.Delivered d -> Fate.Kind.DELIVERED;
                    case Outcome.Retry retry -> Fate.Kind.RETRY;
                    case Outcome.Rejected rejected -> Fate.Kind.REJECTED;
                };
                fates[sentAt.get(k)] = new Fate(f.row(), kind, o, f.had(), f.sent());
            }
        }
        return List.of(fates);
    }

    private List<Outcome> send(DeliveryBatch batch, java.time.Instant now) {
        try {
            List<Outcome> outcomes = connector.deliver(batch);
            if (outcomes == null || outcomes.size() != batch.items().size()) {
                throw new IllegalStateException(
                        "the " + config.connection().type().name() + " connector answered "
                                + (outcomes == null ? "nothing" : outcomes.size() + " outcomes") + " for "
                                + batch.items().size() + " items");
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Collections.nCopies(
                    batch.items().size(), new Outcome.Retry(null, "the server was stopping", ""));
        } catch (Exception e) {
            return java.util.Collections.nCopies(
                    batch.items().size(), new Outcome.Retry(null, "the connector failed: " + e, ""));
        }
    }
}
