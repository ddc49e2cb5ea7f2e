-- Sources: where events come from, each with its own write key (owned by dev.tandem.connect).
CREATE TABLE sources (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    write_key  TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL          -- epoch milliseconds
);

-- Inbox: every accepted event, in arrival order (owned by dev.tandem.collect).
-- seq is the arrival order and the read cursor; (source_id, message_id) deduplicates.
CREATE TABLE inbox (
    seq         INTEGER PRIMARY KEY,
    source_id   TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    type        TEXT NOT NULL,
    received_at INTEGER NOT NULL,        -- epoch milliseconds, server clock
    payload     TEXT NOT NULL            -- the event as stored, JSON
);
CREATE UNIQUE INDEX inbox_message ON inbox (source_id, message_id);

-- Quarantine: events refused at collection, kept with their reason (owned by dev.tandem.collect).
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    source_id   TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    field       TEXT,
    payload     TEXT NOT NULL,           -- the event as received, JSON
    replayed_at INTEGER                  -- set when a fixed copy was accepted
);
CREATE INDEX quarantine_open ON quarantine (replayed_at, id);

-- Server settings that must survive restarts, such as the admin token's hash (owned by dev.tandem.server).
CREATE TABLE server_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
