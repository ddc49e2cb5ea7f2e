-- The archive's manifest (owned by dev.tandem.collect; in inbox.db, so that it commits with the inbox rows it accounts for): one row per file of rows that left the live
-- store after their source's retention, by kind ('EVENTS' keyed by inbox seq, 'QUARANTINE' keyed by
-- quarantine id), source and UTC day received. bytes is the file's committed length: a file is
-- appended and fsynced before the row that counts the new bytes commits with the deletion of the
-- live rows, so bytes past it (a crash in between) are never read and are cut off by the next append.
CREATE TABLE archive_days (
    kind      TEXT NOT NULL,
    source_id TEXT NOT NULL,
    day       TEXT NOT NULL,             -- yyyy-mm-dd, UTC
    events    INTEGER NOT NULL,
    first_key INTEGER NOT NULL,
    last_key  INTEGER NOT NULL,
    bytes     INTEGER NOT NULL,
    PRIMARY KEY (kind, source_id, day)
);
CREATE INDEX archive_days_last ON archive_days (kind, source_id, last_key);

