package dev.tandem.connect;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * A destination's health at one moment: its state, the SLA window's totals, what waits, the error
 * budget, and the reasons for the state in words.
 */
record Health(
        Health.State state, SlaWindow.Totals totals, OutboxStore.Waiting waiting, Budget budget, List<String> reasons) {
    /** healthy: every objective met with room; degraded: met, but close or the breaker is open; breached: one is missed. */
    enum State {
        HEALTHY,
        DEGRADED,
        BREACHED;

        @JsonValue
        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The error budget over the window: {@code remaining} is the share of allowed failures
     * ({@code (1 - deliveredRatio objective) x attempts}) not yet spent, from 1 down to 0;
     * {@code burnRate} how fast it is spent, 1 being exactly the allowed rate.
     */
    record Budget(double remaining, double burnRate) {}
}
