package dev.tandem.pipeline;

/**
 * The kinds of change a stage can record in a batch's {@link BatchChanges}, and read from it. A
 * stage declares which it reads and which it writes; the pipeline refuses to start when a stage
 * reads a kind that no earlier stage writes.
 */
public enum Change {
    /** Which profiles the batch changed and what of each: traits, computed traits, consent, counters. */
    PROFILES,
    /** Which profiles gained identifiers, and each profile's identifiers as the batch left them. */
    IDENTIFIERS,
    /** Profiles joined: kept and merged away. */
    MERGES,
    /** Profiles that entered or left an audience. */
    MEMBERSHIPS,
    /** Profiles exposed to an experiment's arm. */
    EXPOSURES,
    /** Events a stage emitted for later consumers. */
    EMITTED
}
