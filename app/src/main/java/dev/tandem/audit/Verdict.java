package dev.tandem.audit;

/**
 * What a verification found: {@code entries} read in order; when not valid, {@code firstInvalid} is
 * the id of the first entry that was edited, removed or moved (null when no entry can be named, such
 * as a checkpoint whose signature fails) and {@code reason} says what was wrong.
 */
public record Verdict(boolean valid, long entries, Long firstInvalid, String reason, int checkpoints) {
    static Verdict ok(long entries, int checkpoints) {
        return new Verdict(true, entries, null, null, checkpoints);
    }

    static Verdict bad(long entries, Long firstInvalid, String reason, int checkpoints) {
        return new Verdict(false, entries, firstInvalid, reason, checkpoints);
    }
}
