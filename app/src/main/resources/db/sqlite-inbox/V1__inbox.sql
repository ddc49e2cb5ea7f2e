-- The inbox file (inbox.db, SQLite only): the inbox and the quarantine, apart from everything derived
-- from them so that appending accepted events never waits for the processor's write lock.
-- Same tables as db/sqlite/V1__collect.sql had (owned by dev.tandem.collect).

-- Inbox: every accepted event, in arrival order.
-- seq is the arrival order and the read cursor; (source_id, message_id) deduplicates. AUTOINCREMENT: a
-- seq is never handed out twice, even after the newest rows were deleted (an erasure of the backlog,
-- retention), which would put a new event below the processor's cursor.
CREATE TABLE inbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id   TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    type        TEXT NOT NULL,
    received_at INTEGER NOT NULL,        -- epoch milliseconds, server clock
    payload     TEXT NOT NULL            -- the event as stored, JSON
);
CREATE UNIQUE INDEX inbox_message ON inbox (source_id, message_id);

-- Quarantine: events refused at collection, kept with their reason.
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id   TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    field       TEXT,
    payload     TEXT NOT NULL,           -- the event as received, JSON
    replayed_at INTEGER                  -- set when a fixed copy was accepted
);
CREATE INDEX quarantine_open ON quarantine (replayed_at, id);
