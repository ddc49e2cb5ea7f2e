package dev.tandem.process;

/**
 * Where the processor stands: the last applied inbox seq, the newest stored one, its state
 * ({@code running}, {@code replaying}, {@code failing}, {@code stopped}), the last error if it is
 * failing, and during a replay the seq it must reach to be done.
 */
public record ProcessorStatus(long cursor, long latest, String state, String lastError, long replayTarget) {
    public long lagEvents() {
        return Math.max(0, latest - cursor);
    }
}
