package dev.tandem.collect;

import java.util.List;

/**
 * What a tracking call's 200 response says: how many events were accepted (duplicates of
 * events stored before included, since they are stored), how many of them were duplicates, and
 * each refused event with its index and reason. The SDKs ignore every field but {@code success}.
 */
record Receipt(boolean success, int accepted, int duplicates, List<RejectedEvent> rejected) {

    /** A refused event: its index in the batch and why it was refused; it is kept in the quarantine. */
    public record RejectedEvent(int index, String code, String message, String field) {}
}
