-- Events the pipeline could not apply, set aside with their reason so that the pipeline moves on
-- (owned by dev.tandem.process). The event itself stays in the inbox under its seq. A replay
-- request is picked up at the next batch boundary; a replayed event keeps its row as history.
CREATE TABLE process_set_aside (
    seq              INTEGER PRIMARY KEY,   -- the inbox event
    source_id        TEXT NOT NULL,
    stage            TEXT NOT NULL,          -- the stage that failed, or 'read' when the stored event could not be read
    reason           TEXT NOT NULL,
    set_aside_at     INTEGER NOT NULL,      -- epoch milliseconds
    attempts         INTEGER NOT NULL,
    replay_requested INTEGER,               -- when a steward asked to apply it again
    replayed_at      INTEGER                -- when it was applied after all
);
CREATE INDEX process_set_aside_open ON process_set_aside (replayed_at, seq);
