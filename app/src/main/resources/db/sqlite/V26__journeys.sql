-- Journeys (owned by dev.tandem.journey).
-- Every version of every journey's declaration: instances in flight run the version they entered on.
CREATE TABLE journey_versions (
    journey     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    declaration TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (journey, version)
);
-- Whether a journey is paused (no instance advances, nothing is sent, entries still recorded).
CREATE TABLE journey_states (
    journey   TEXT PRIMARY KEY,
    paused    INTEGER NOT NULL,
    paused_at BIGINT
);
-- One row per journey, profile and entry key: where the instance is. due_at is its timer (null
-- when finished); the partial index finds due instances without reading finished ones.
CREATE TABLE journey_instances (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    journey      TEXT NOT NULL,
    profile_id   BIGINT NOT NULL,
    entry_key    TEXT NOT NULL,
    version      INTEGER NOT NULL,
    step         TEXT NOT NULL,           -- path of the current step, such as '2/1/0'
    status       TEXT NOT NULL,           -- new, active, waiting, done, exited
    holdout      INTEGER NOT NULL,        -- 1: held out, goes through no sends
    entered_at   BIGINT NOT NULL,
    due_at       BIGINT,
    context      TEXT,                    -- the entry event, as branch conditions read it
    converted_at BIGINT,
    exit_reason  TEXT,
    UNIQUE (journey, profile_id, entry_key)
);
CREATE INDEX journey_instances_due ON journey_instances (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX journey_instances_profile ON journey_instances (profile_id);
-- Append-only: every step an instance went through and what became of it.
CREATE TABLE journey_transitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id BIGINT NOT NULL,
    journey     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    step        TEXT NOT NULL,
    outcome     TEXT NOT NULL,            -- entered, waiting, advanced, sent, held, capped, denied, failed, exited, done
    at          BIGINT NOT NULL,
    detail      TEXT
);
CREATE INDEX journey_transitions_journey ON journey_transitions (journey, step, outcome);
CREATE INDEX journey_transitions_instance ON journey_transitions (instance_id);
-- Sends per profile, channel and local day, across journeys: what frequency caps count.
CREATE TABLE journey_caps (
    profile_id BIGINT NOT NULL,
    channel    TEXT NOT NULL,
    day        TEXT NOT NULL,             -- yyyy-mm-dd in the profile's time zone
    sends      INTEGER NOT NULL,
    PRIMARY KEY (profile_id, channel, day)
);
