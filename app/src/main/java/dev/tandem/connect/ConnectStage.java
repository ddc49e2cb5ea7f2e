package dev.tandem.connect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.expr.Facts;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Membership;
import dev.tandem.pipeline.ProfileChange;
import dev.tandem.pipeline.Stage;
import dev.tandem.wire.EventTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * The outbox stage: for each batch, the rows every destination is owed (events its filter
 * matches, trait updates as identifies, entering and leaving its audiences), written in the
 * batch's one transaction, so that what the pipeline committed and what destinations will receive
 * cannot disagree. One row per event or change, naming every destination it is for. Nothing is
 * sent from here; each destination's {@link DeliveryWorker} reads the outbox on its own thread.
 *
 * <p>A replay from the start does not send history again: {@link #reset} notes the last event the
 * outbox had, and events up to it write no row.
 */
final class ConnectStage implements Stage {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private record Pending(long profile, String kind, long seq, String detail, String destinations, long receivedAt) {}

    private final Supplier<List<DestinationConfig>> current;
    /** The destinations of the batch being processed: read once per batch, as the admin API may change them meanwhile. */
    private List<DestinationConfig> destinations = List.of();

    private final OutboxStore store;
    private final LongFunction<String> audienceKeys;
    private final Runnable written;
    private final List<Pending> pending = new ArrayList<>();
    private long replayedUpTo;

    ConnectStage(
            Supplier<List<DestinationConfig>> destinations,
            OutboxStore store,
            LongFunction<String> audienceKeys,
            Runnable written) {
        this.current = destinations;
        this.store = store;
        this.audienceKeys = audienceKeys;
        this.written = written;
        this.replayedUpTo = store.replayedUpTo();
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public Set<Change> reads() {
        return EnumSet.of(Change.PROFILES, Change.MEMBERSHIPS);
    }

    @Override
    public Set<Change> writes() {
        return EnumSet.noneOf(Change.class);
    }

    @Override
    public void process(Batch batch) {
        pending.clear();
        destinations = current.get();
        if (destinations.isEmpty()) {
            return;
        }
        Map<Long, Long> lastReceived = new HashMap<>();
        Map<Long, Long> lastSeq = new HashMap<>();
        for (BatchItem item : batch.items()) {
            if (item.profileId() == 0 || item.seq() <= replayedUpTo) {
                continue;
            }
            long received = receivedAt(item);
            lastReceived.put(item.profileId(), received);
            lastSeq.put(item.profileId(), item.seq());
            StringBuilder to = null;
            Map<String, Object> facts = null;
            for (DestinationConfig d : destinations) {
                if (d.subscription().events() == null) {
                    continue;
                }
                facts = facts == null ? Facts.event(item.event()) : facts;
                if (d.subscription().events().evaluate(facts).matched()) {
                    to = (to == null ? new StringBuilder(",") : to)
                            .append(d.key())
                            .append(',');
                }
            }
            if (to != null) {
                pending.add(new Pending(item.profileId(), OutboxRow.EVENT, item.seq(), null, to.toString(), received));
            }
        }
        for (ProfileChange change : batch.changes().profiles()) {
            Long seq = lastSeq.get(change.profile());
            if (seq == null || !traitsChanged(change)) {
                continue;
            }
            String to = subscribed(d -> d.subscription().identifies());
            if (to != null) {
                pending.add(new Pending(
                        change.profile(), OutboxRow.IDENTIFY, seq, null, to, lastReceived.get(change.profile())));
            }
        }
        for (Membership m : batch.changes().memberships()) {
            if (m.seq() <= replayedUpTo) {
                continue;
            }
            String key = audienceKeys.apply(m.audienceId());
            String to = key == null
                    ? null
                    : subscribed(d -> d.subscription().audiences().contains(key));
            if (to != null) {
                ObjectNode detail = JSON.objectNode().put("audience", key).put("entered", m.entered());
                long received = lastReceived.getOrDefault(m.profileId(), 0L);
                pending.add(new Pending(m.profileId(), OutboxRow.AUDIENCE, m.seq(), detail.toString(), to, received));
            }
        }
    }

    private static boolean traitsChanged(ProfileChange change) {
        if (change.everything()) {
            return true;
        }
        for (String name : change.names()) {
            if (name.startsWith("traits.")) {
                return true;
            }
        }
        return false;
    }

    private String subscribed(java.util.function.Predicate<DestinationConfig> wants) {
        StringBuilder to = null;
        for (DestinationConfig d : destinations) {
            if (wants.test(d)) {
                to = (to == null ? new StringBuilder(",") : to).append(d.key()).append(',');
            }
        }
        return to == null ? null : to.toString();
    }

    private static long receivedAt(BatchItem item) {
        Instant at = EventTime.parse(item.event().path("receivedAt").asText(""));
        return at == null ? item.timestamp() : at.toEpochMilli();
    }

    @Override
    public void write(Handle transaction) {
        if (pending.isEmpty()) {
            return;
        }
        var insert = transaction.prepareBatch(
                "INSERT INTO outbox (profile_id, kind, seq, detail, destinations, received_at) VALUES (?, ?, ?, ?, ?, ?)");
        for (Pending p : pending) {
            insert.add(p.profile(), p.kind(), p.seq(), p.detail(), p.destinations(), p.receivedAt());
        }
        insert.execute();
    }

    @Override
    public void committed() {
        if (!pending.isEmpty()) {
            pending.clear();
            written.run();
        }
    }

    @Override
    public void discard() {
        pending.clear();
    }

    @Override
    public void reset(Handle transaction) {
        replayedUpTo = store.noteReplay(transaction);
    }

    @Override
    public void erase(Handle transaction, Collection<Long> profiles) {
        store.erase(transaction, profiles);
    }
}
