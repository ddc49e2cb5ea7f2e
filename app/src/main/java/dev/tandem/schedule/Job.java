package dev.tandem.schedule;

/**
 * One kind of work, registered once with {@link Scheduler#register}; its jobs are rows scheduled by
 * (kind, key). A run must be bounded and end well within the scheduler's lease (see
 * {@link ScheduleSettings#lease}): past it, another process may take the job over and run it too.
 * Runs are at least once: after a crash mid-run the job runs again when its lease expires, so a job
 * must be safe to repeat.
 */
public interface Job {
    /** Stored with each row, such as {@code "audience.compute"}; stable across versions. */
    String kind();

    /** Where its jobs run; the scheduler's own thread unless the job says otherwise. */
    default Lane lane() {
        return Lane.OWN;
    }

    /** How far this kind's work is, for {@code GET /v1/admin/jobs}; none unless the job keeps it. */
    default java.util.Optional<Progress> progress() {
        return java.util.Optional.empty();
    }

    /**
     * Does the work of one due job. Throwing is a failure: the job is retried with exponential
     * backoff, and its attempts and last error are shown until a run succeeds.
     */
    Next run(Due due);
}
