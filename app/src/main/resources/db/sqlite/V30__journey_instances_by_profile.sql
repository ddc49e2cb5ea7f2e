-- Journey instances keyed by profile first: the unique key (profile_id, journey, entry_key) also
-- serves every lookup by profile, so the separate index on profile_id goes, and an instance entered
-- costs one randomly placed index entry instead of two. SQLite cannot reorder a table's UNIQUE
-- constraint in place: the table is built again, ids and the AUTOINCREMENT counter kept.
-- An instance entered on an event now names it by entry_seq (its seq in the inbox) instead of
-- holding a copy in context: the row shrinks from several hundred bytes to about a hundred, and the
-- event stays in the inbox alone (sealed, erased and retained there). Rows stored before keep theirs.
CREATE TABLE journey_instances_new (
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
    context      TEXT,                    -- the entry event as stored, for rows stored before V30
    converted_at BIGINT,
    exit_reason  TEXT,
    entry_seq    BIGINT,                  -- the entry event's seq in the inbox; null for an audience or a schedule
    UNIQUE (profile_id, journey, entry_key)
);
INSERT INTO journey_instances_new (id, journey, profile_id, entry_key, version, step, status, holdout, entered_at,
                                   due_at, context, converted_at, exit_reason)
SELECT id, journey, profile_id, entry_key, version, step, status, holdout, entered_at, due_at, context, converted_at,
       exit_reason
FROM journey_instances;
DELETE FROM sqlite_sequence WHERE name = 'journey_instances_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'journey_instances_new', seq FROM sqlite_sequence
WHERE name = 'journey_instances';
DROP TABLE journey_instances;
ALTER TABLE journey_instances_new RENAME TO journey_instances;
CREATE INDEX journey_instances_due ON journey_instances (due_at) WHERE due_at IS NOT NULL;
