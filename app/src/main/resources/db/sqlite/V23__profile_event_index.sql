-- The profile's event index without one random row per event (owned by dev.tandem.profile).
-- A profile's most recent seqs live in its document (which the processor rewrites anyway); when
-- they fill a chunk the chunk is spilled to profile_event_chunks, one row per chunk. event_owners
-- keeps the seq-to-profile map that retention and erasure look events up by: seqs only grow, so
-- each insert lands at the table's right edge and dirties no random page. A seq listed in a
-- document or chunk counts only while event_owners gives it to that profile (archived events
-- leave event_owners alone).
CREATE TABLE event_owners (
    seq        INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL
);

CREATE TABLE profile_event_chunks (
    profile_id INTEGER NOT NULL,
    first_seq  INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    seqs       TEXT NOT NULL,            -- comma-separated, ascending
    PRIMARY KEY (profile_id, first_seq)
) WITHOUT ROWID;

INSERT INTO event_owners (seq, profile_id) SELECT seq, profile_id FROM profile_events;

-- existing rows move into chunks of at most 32 seqs
INSERT INTO profile_event_chunks (profile_id, first_seq, last_seq, seqs)
SELECT profile_id, MIN(seq), MAX(seq), group_concat(seq, ',')
FROM (SELECT profile_id, seq, (ROW_NUMBER() OVER (PARTITION BY profile_id ORDER BY seq) - 1) / 32 AS n
      FROM profile_events ORDER BY profile_id, seq)
GROUP BY profile_id, n;

DROP TABLE profile_events;
