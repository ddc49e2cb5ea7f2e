package dev.tandem.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;

/**
 * Work done in bounded slices between the processor's batches (the {@link Lane#PIPELINE} lane, so
 * it never races a batch): runs again at once while a slice did work; when one finds none, runs
 * again when {@code next} says (epoch milliseconds from now's), or is done when it says -1.
 *
 * @param slice one bounded slice of work; true when it did some
 * @param next  given the time now, when to look again, or -1 when nothing is left
 */
public record SliceJob(String kind, Clock clock, BooleanSupplier slice, LongUnaryOperator next) implements Job {
    /** Nothing to wait for once a slice finds no work: done until scheduled again. */
    public static final LongUnaryOperator DONE_WHEN_IDLE = now -> -1;

    @Override
    public Lane lane() {
        return Lane.PIPELINE;
    }

    @Override
    public Next run(Due due) {
        if (slice.getAsBoolean()) {
            return Next.again(clock.instant());
        }
        long at = next.applyAsLong(clock.millis());
        return at < 0 ? Next.done() : Next.again(Instant.ofEpochMilli(at));
    }
}
