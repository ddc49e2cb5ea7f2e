package dev.tandem.process;

/**
 * Where the processor stands: the last applied inbox seq, the newest stored one, its state
 * ({@code running}, {@code replaying}, {@code failing}, {@code stopped}), the last error if it is
 * failing, during a replay the seq it must reach to be done, how many events are set aside (-1 when
 * not counted), and what the background work last failed with, or null.
 */
public record ProcessorStatus(long cursor, long latest, String state, String lastError, long replayTarget, long setAside,
        String backgroundError) {
    public long lagEvents() {
        return Math.max(0, latest - cursor);
    }
}
