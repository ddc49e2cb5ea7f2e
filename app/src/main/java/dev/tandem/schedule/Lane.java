package dev.tandem.schedule;

/** Where a kind of job runs. */
public enum Lane {
    /** On the processor's thread, when it calls {@link Scheduler#runDue} between batches. */
    PIPELINE,
    /** On the scheduler's own thread, started by {@link Scheduler#start}. */
    OWN
}
