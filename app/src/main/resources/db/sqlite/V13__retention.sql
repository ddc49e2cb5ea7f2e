-- On SQLite the archive's manifest (archive_days) lives beside the inbox, in inbox.db: see
-- db/sqlite-inbox/V2__archive_days.sql.

-- Archived events leave the profile's event index (owned by dev.tandem.profile) by seq. Why this costs
-- little on the processor's path: seqs only grow, so each insert lands at the index's right edge.
CREATE INDEX profile_events_seq ON profile_events (seq);
