package dev.tandem.connect;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a destination's delivery thread counts, since the server started (for metrics and health):
 * items delivered, attempts that will be retried, items rejected, dead-lettered (rejected or given
 * up on), denied by the policy gate, and gone (erased before they were sent); and the SLA window.
 */
final class DestinationStats {
    final LongAdder delivered = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder denied = new LongAdder();
    final LongAdder gone = new LongAdder();
    final SlaWindow window;

    DestinationStats(Duration window) {
        this.window = new SlaWindow(window);
    }
}
