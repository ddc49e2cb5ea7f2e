package dev.tandem.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The work between batches keeps its share of the processor's thread during a backlog, and runs freely without one. */
class BackgroundShareTest {
    @Test
    void withoutABacklogBackgroundWorkAlwaysRuns() {
        BackgroundShare share = new BackgroundShare(0.1);
        assertThat(share.mayRun()).isTrue();
        share.applied(1_000_000, false);
        share.spent(50_000_000);
        assertThat(share.mayRun()).isTrue();
    }

    @Test
    void aBacklogBeginsWithNoCreditAndEarnsItFromBatches() {
        BackgroundShare share = new BackgroundShare(0.2);
        share.applied(10_000_000, false);
        share.spent(1_000_000_000); // a quiet spell's work saves up nothing, and owes nothing
        share.applied(0, true);
        assertThat(share.mayRun()).isFalse();
        share.applied(8_000_000, true); // earns 2 ms at a fifth
        assertThat(share.mayRun()).isTrue();
        share.spent(5_000_000); // overdraws by 3 ms
        assertThat(share.mayRun()).isFalse();
        share.applied(8_000_000, true);
        assertThat(share.mayRun()).isFalse(); // -1 ms
        share.applied(8_000_000, true);
        assertThat(share.mayRun()).isTrue();
        share.drained();
        assertThat(share.mayRun()).isTrue();
    }

    @Test
    void creditIsCapped() {
        BackgroundShare share = new BackgroundShare(0.5);
        share.applied(10_000_000_000L, true);
        share.spent(BackgroundShare.MAX_CREDIT_NANOS + 1);
        assertThat(share.mayRun()).isFalse();
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new BackgroundShare(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackgroundShare(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackgroundShare(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Over any backlog, background work that runs whenever allowed takes at most its share plus one slice. */
    @Property(tries = 200)
    void overABacklogTheShareHolds(
            @ForAll @IntRange(min = 1, max = 50) int percent,
            @ForAll @LongRange(min = 100_000, max = 20_000_000) long batch,
            @ForAll @LongRange(min = 10_000, max = 200_000_000) long slice) {
        double s = percent / 100.0;
        BackgroundShare share = new BackgroundShare(s);
        long batches = 0;
        long background = 0;
        for (int round = 0; round < 5_000; round++) {
            share.applied(batch, true);
            batches += batch;
            if (share.mayRun()) {
                share.spent(slice);
                background += slice;
            }
        }
        assertThat((double) background).isLessThanOrEqualTo(s / (1 - s) * batches + slice);
        // and it is not starved: it gets its share, less what the cap and one slice cost
        assertThat((double) background)
                .isGreaterThanOrEqualTo(Math.min(s / (1 - s) * batches, (double) slice * 5_000)
                        - 2.0 * slice
                        - BackgroundShare.MAX_CREDIT_NANOS);
    }
}
