package dev.tandem.audit;

/**
 * What a verification found: {@code entries} read in order; when not valid, {@code firstInvalid} is
 * the id of the first entry that was edited, removed or moved (null when no entry can be named, such
 * as a checkpoint whose signature fails, or entries no checkpoint covers) and {@code reason} says what
 * was wrong. {@code checkpointed} is how many entries, from the first, the latest signed checkpoint
 * that matched covers (a stored one or the exported one given); the {@code unanchored} rest are
 * proven only by their hashes, which whoever can write the database can recompute.
 */
public record Verdict(
        boolean valid, long entries, Long firstInvalid, String reason, int checkpoints, long checkpointed) {
    static Verdict ok(long entries, int checkpoints, long checkpointed) {
        return new Verdict(true, entries, null, null, checkpoints, checkpointed);
    }

    static Verdict bad(long entries, Long firstInvalid, String reason, int checkpoints, long checkpointed) {
        return new Verdict(false, entries, firstInvalid, reason, checkpoints, checkpointed);
    }

    /** Entries after the last one a checkpoint covers. */
    public long unanchored() {
        return entries - checkpointed;
    }
}
