-- Audiences (owned by dev.tandem.audience). The definition is configuration (from tandem.yaml or
-- the admin API); status, progress and size are kept by the audience stage.
CREATE TABLE audiences (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT,
    owners       TEXT NOT NULL,          -- JSON array of names
    condition    TEXT NOT NULL,          -- CEL
    origin       TEXT NOT NULL,          -- workspace (tandem.yaml) or api
    status       TEXT NOT NULL,          -- computing or ready
    scanned_to   INTEGER NOT NULL,       -- background computation: profiles up to this id are done
    size         INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    computed_at  INTEGER
);

-- Current members: one row per audience and profile.
CREATE TABLE audience_members (
    audience_id INTEGER NOT NULL,
    profile_id  INTEGER NOT NULL,
    entered_at  INTEGER NOT NULL,        -- epoch milliseconds
    PRIMARY KEY (audience_id, profile_id)
) WITHOUT ROWID;
CREATE INDEX audience_members_profile ON audience_members (profile_id);

-- Audience Entered / Audience Exited, in the order they happened, for later stages and destinations.
CREATE TABLE audience_events (
    id          INTEGER PRIMARY KEY,
    audience_id INTEGER NOT NULL,
    profile_id  INTEGER NOT NULL,
    entered     INTEGER NOT NULL,        -- 1 entered, 0 exited
    at          INTEGER NOT NULL,        -- epoch milliseconds
    seq         INTEGER NOT NULL         -- the inbox event that caused it; 0 for a background computation
);
CREATE INDEX audience_events_audience ON audience_events (audience_id, id);

-- Size over time: the last size in each hour.
CREATE TABLE audience_sizes (
    audience_id INTEGER NOT NULL,
    hour        INTEGER NOT NULL,        -- epoch milliseconds at the start of the hour
    size        INTEGER NOT NULL,
    PRIMARY KEY (audience_id, hour)
) WITHOUT ROWID;
