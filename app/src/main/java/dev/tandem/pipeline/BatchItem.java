package dev.tandem.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One event on its way through the stages. The event and its position are fixed; the resolve
 * stage fills in the profile and the merges this event caused, for the stages after it. Mutable
 * on purpose: stages hand results forward without copying per event.
 */
public final class BatchItem {
    private final long seq;
    private final String sourceId;
    private final JsonNode event;
    private final long timestamp;
    private final String stored;
    private long profileId;
    private List<Merge> merges = List.of();
    private Object[] prepared = NOTHING_PREPARED;
    private static final Object[] NOTHING_PREPARED = {};

    /** @param stored the event as the inbox stores it: its personal values sealed, when sealing is on */
    public BatchItem(long seq, String sourceId, JsonNode event, long timestamp, String stored) {
        this.stored = stored;
        this.seq = seq;
        this.sourceId = sourceId;
        this.event = event;
        this.timestamp = timestamp;
    }

    public long seq() {
        return seq;
    }

    public String sourceId() {
        return sourceId;
    }

    public JsonNode event() {
        return event;
    }

    /**
     * The event's text as stored, personal values sealed with its subject's key (when sealing is
     * on): what a stage keeps of the event beyond the batch, so that an erasure, which destroys the
     * key, reaches that copy too.
     */
    public String stored() {
        return stored;
    }

    /** The event's corrected time, epoch milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    public String type() {
        return event.path("type").asText();
    }

    public String messageId() {
        return event.path("messageId").asText();
    }

    /** The profile this event belongs to; 0 when it carries no usable identifier. */
    public long profileId() {
        return profileId;
    }

    public void resolvedTo(long profileId) {
        this.profileId = profileId;
    }

    /** The merges this event caused, applied before the event itself. */
    public List<Merge> merges() {
        return merges;
    }

    public void merged(Merge merge) {
        if (merges.isEmpty()) {
            merges = new ArrayList<>(2);
        }
        merges.add(merge);
    }

    /** Keeps what a stage prepared for this event ({@link Stage#prepare}), under the stage's key. */
    public <T> void prepared(Prepared<T> key, T value) {
        Object[] kept = java.util.Arrays.copyOf(prepared, prepared.length + 2);
        kept[kept.length - 2] = key;
        kept[kept.length - 1] = value;
        prepared = kept;
    }

    /** What a stage prepared for this event under its key; null when the batch was not prepared. */
    @SuppressWarnings("unchecked")
    public <T> T prepared(Prepared<T> key) {
        for (int i = 0; i < prepared.length; i += 2) {
            if (prepared[i] == key) {
                return (T) prepared[i + 1];
            }
        }
        return null;
    }
}
