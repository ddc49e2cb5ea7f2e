package dev.tandem.journey;

/**
 * One instance row: a profile in a journey, on the version it entered on, at a step. An instance
 * entered on an event names it by {@code entrySeq}, its seq in the inbox, read back only when a walk
 * needs it; {@code context} is the event's stored text where it is at hand (a dry run, rows stored
 * before V30, a slice the runner read it back for).
 */
record Instance(
        long id,
        String journey,
        long profileId,
        String entryKey,
        int version,
        String step,
        String status,
        boolean holdout,
        long enteredAt,
        Long dueAt,
        String context,
        Long convertedAt,
        String exitReason,
        Long entrySeq) {
    /** Entered, not yet run: its first run records the entry. */
    static final String NEW = "new";

    static final String ACTIVE = "active";
    static final String WAITING = "waiting";
    static final String DONE = "done";
    static final String EXITED = "exited";

    /** This instance with its goal reached at {@code at}. */
    Instance convertedAt(long at) {
        return new Instance(
                id,
                journey,
                profileId,
                entryKey,
                version,
                step,
                status,
                holdout,
                enteredAt,
                dueAt,
                context,
                at,
                exitReason,
                entrySeq);
    }

    /** This instance with its entering event's stored text. */
    Instance withContext(String stored) {
        return new Instance(
                id,
                journey,
                profileId,
                entryKey,
                version,
                step,
                status,
                holdout,
                enteredAt,
                dueAt,
                stored,
                convertedAt,
                exitReason,
                entrySeq);
    }

    boolean finished() {
        return status.equals(DONE) || status.equals(EXITED);
    }
}
