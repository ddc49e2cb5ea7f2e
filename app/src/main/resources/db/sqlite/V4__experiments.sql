-- Experiment assignments (owned by dev.tandem.decide): each profile's arm in each experiment, from its first
-- Experiment Viewed event, and the time of its first goal event after that. Kept through merges: the earlier exposure wins.
CREATE TABLE experiment_assignments (
    experiment   TEXT NOT NULL,
    profile_id   INTEGER NOT NULL,
    arm          TEXT NOT NULL,
    assigned_at  INTEGER NOT NULL,       -- event time, epoch milliseconds
    converted_at INTEGER,                -- event time of the first goal event after the exposure
    PRIMARY KEY (experiment, profile_id)
) WITHOUT ROWID;
CREATE INDEX experiment_assignments_profile ON experiment_assignments (profile_id);
