package dev.tandem.process;

/**
 * Events first: while events wait in the inbox, the work between batches (the scheduler's pipeline
 * lane: journey timers and scheduled entries, destination replays, retention and other slices)
 * keeps at most {@code share} of the processor's thread, so that a backlog is applied at nearly
 * full speed and that work catches up once it is drained. Without a backlog it runs after every
 * batch, as much as is due.
 *
 * <p>Each batch applied during a backlog earns {@code share / (1 - share)} of its time; work between
 * batches runs while the credit is above zero and spends its time from it. A slice may overdraw:
 * the next batches pay it back, so over a backlog the share holds. A backlog begins with no credit
 * (a quiet spell saves none up), and the credit is capped at {@link #MAX_CREDIT_NANOS}.
 *
 * <p>Why a share and not "never during a backlog": traffic that never lets up would otherwise stop
 * every journey, and a share keeps their lag bounded by how much work they are, not by the traffic.
 */
final class BackgroundShare {
    /** A tenth of the thread: journeys' sends lag a backlog, events are applied at 90% of full speed or more. */
    static final double DEFAULT = 0.1;

    static final long MAX_CREDIT_NANOS = 250_000_000L;

    private final double earn;
    private boolean backlog;
    private long credit;

    /** @param share the part of the thread's time work between batches keeps during a backlog, above 0 and below 1 */
    BackgroundShare(double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("the share must be above 0 and below 1, was " + share);
        }
        this.earn = share / (1 - share);
    }

    /** After a batch applied in {@code nanos}; {@code backlog} when more events were waiting after it. */
    void applied(long nanos, boolean backlog) {
        if (backlog && !this.backlog) {
            credit = 0;
        }
        this.backlog = backlog;
        if (backlog) {
            credit = Math.min(MAX_CREDIT_NANOS, credit + (long) (nanos * earn));
        }
    }

    /** After a look at the inbox that found nothing: the backlog is over. */
    void drained() {
        backlog = false;
    }

    /** Whether the work between batches may run now. */
    boolean mayRun() {
        return !backlog || credit > 0;
    }

    /** The work between batches took {@code nanos}. */
    void spent(long nanos) {
        if (backlog) {
            credit -= nanos;
        }
    }
}
