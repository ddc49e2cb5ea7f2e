package dev.tandem.process;

import java.util.Locale;

/**
 * Where the processor stands: the last applied inbox seq, the newest stored one, its state
 * ({@code running}, {@code replaying}, {@code failing}, {@code stopped}), the last error if it is
 * failing, during a replay the seq it must reach to be done, how many events are set aside (-1 when
 * not counted), and what the background work last failed with, or null.
 */
public record ProcessorStatus(long cursor, long latest, State state, String lastError, long replayTarget, long setAside,
        String backgroundError) {

    /** What the processor is doing, by the name {@code GET /v1/admin/processor} shows. */
    public enum State {
        RUNNING,
        REPLAYING,
        FAILING,
        STOPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state named in a status response, or null when the name is not one. */
        public static State named(String name) {
            for (State s : values()) {
                if (s.wireName().equals(name)) {
                    return s;
                }
            }
            return null;
        }
    }

    public long lagEvents() {
        return Math.max(0, latest - cursor);
    }
}
