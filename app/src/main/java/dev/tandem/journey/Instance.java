package dev.tandem.journey;

/** One instance row: a profile in a journey, on the version it entered on, at a step. */
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
        String exitReason) {
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
                exitReason);
    }

    boolean finished() {
        return status.equals(DONE) || status.equals(EXITED);
    }
}
