package dev.tandem.process;

import dev.tandem.config.WireName;

/**
 * Where the processor stands: the last applied inbox seq, the newest stored one, its state
 * ({@code running}, {@code replaying}, {@code failing}, {@code stopped}), the last error if it is
 * failing, during a replay the seq it must reach to be done, how many events are set aside (-1 when
 * not counted), and what the background work last failed with, or null.
 */
public record ProcessorStatus(
        long cursor,
        long latest,
        State state,
        String lastError,
        long replayTarget,
        long setAside,
        String backgroundError) {

    /** What the processor is doing, by the name {@code GET /v1/admin/processor} shows. */
    public enum State implements WireName {
        RUNNING,
        REPLAYING,
        FAILING,
        STOPPED;

        /** The state named in a status response, or null when the name is not one. */
        public static State named(String name) {
            return WireName.named(State.class, name);
        }
    }

    public long lagEvents() {
        return Math.max(0, latest - cursor);
    }
}
