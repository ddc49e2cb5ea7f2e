-- Audiences (owned by dev.tandem.audience). The definition is configuration (from tandem.yaml or
-- the admin API); status, progress and size are kept by the audience stage.
CREATE TABLE audiences (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT,
    owners       TEXT NOT NULL,          -- JSON array of names
    condition    TEXT NOT NULL,          -- CEL
    origin       TEXT NOT NULL,          -- workspace (tandem.yaml) or api
    status       TEXT NOT NULL,          -- computing or ready
    scanned_to   BIGINT NOT NULL,       -- background computation: profiles up to this id are done
    size         BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    computed_at  BIGINT
);

-- Current members: one row per audience and profile.
CREATE TABLE audience_members (
    audience_id BIGINT NOT NULL,
    profile_id  BIGINT NOT NULL,
    entered_at  BIGINT NOT NULL,        -- epoch milliseconds
    PRIMARY KEY (audience_id, profile_id)
);
CREATE INDEX audience_members_profile ON audience_members (profile_id);

-- Audience Entered / Audience Exited, in the order they happened, for later stages and destinations.
CREATE TABLE audience_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audience_id BIGINT NOT NULL,
    profile_id  BIGINT NOT NULL,
    entered     BIGINT NOT NULL,        -- 1 entered, 0 exited
    at          BIGINT NOT NULL,        -- epoch milliseconds
    seq         BIGINT NOT NULL         -- the inbox event that caused it; 0 for a background computation
);
CREATE INDEX audience_events_audience ON audience_events (audience_id, id);

-- Size over time: the last size in each hour.
CREATE TABLE audience_sizes (
    audience_id BIGINT NOT NULL,
    hour        BIGINT NOT NULL,        -- epoch milliseconds at the start of the hour
    size        BIGINT NOT NULL,
    PRIMARY KEY (audience_id, hour)
);
