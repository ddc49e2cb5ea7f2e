-- The archive's manifest (owned by dev.tandem.collect): one row per file of rows that left the live
-- store after their source's retention, by kind ('EVENTS' keyed by inbox seq, 'QUARANTINE' keyed by
-- quarantine id), source and UTC day received. bytes is the file's committed length: a file is
-- appended and fsynced before the row that counts the new bytes commits with the deletion of the
-- live rows, so bytes past it (a crash in between) are never read and are cut off by the next append.
CREATE TABLE archive_days (
    kind      TEXT NOT NULL,
    source_id TEXT NOT NULL,
    day       TEXT NOT NULL,             -- yyyy-mm-dd, UTC
    events    BIGINT NOT NULL,
    first_key BIGINT NOT NULL,
    last_key  BIGINT NOT NULL,
    bytes     BIGINT NOT NULL,
    PRIMARY KEY (kind, source_id, day)
);
CREATE INDEX archive_days_last ON archive_days (kind, source_id, last_key);

-- Archived events leave the profile's event index (owned by dev.tandem.profile) by seq. Why this costs
-- little on the processor's path: seqs only grow, so each insert lands at the index's right edge.
CREATE INDEX profile_events_seq ON profile_events (seq);
