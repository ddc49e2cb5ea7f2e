-- Processing cursors: the last inbox seq each pipeline has applied (owned by dev.tandem.process).
-- Written in the same transaction as the stages' changes, so a crash never loses or repeats an event.
CREATE TABLE process_cursors (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
);

-- Profiles: one row per profile id ever handed out (owned by dev.tandem.identity).
-- merged_into points at the surviving profile once this one was joined into it.
CREATE TABLE profiles (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,        -- event time, epoch milliseconds
    merged_into INTEGER
);
CREATE INDEX profiles_merged_into ON profiles (merged_into);

-- Identity links: each normalised identifier belongs to at most one profile (owned by dev.tandem.identity).
CREATE TABLE identity_links (
    type       TEXT NOT NULL,
    value      TEXT NOT NULL,
    profile_id INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,         -- event time, epoch milliseconds
    source_id  TEXT NOT NULL,
    PRIMARY KEY (type, value)
) WITHOUT ROWID;
CREATE INDEX identity_links_profile ON identity_links (profile_id);

-- Merges: which profile was joined into which, by which identifier of which event (owned by dev.tandem.identity).
CREATE TABLE identity_merges (
    id         INTEGER PRIMARY KEY,
    kept       INTEGER NOT NULL,
    merged     INTEGER NOT NULL,
    id_type    TEXT NOT NULL,
    id_value   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL          -- event time, epoch milliseconds
);
CREATE INDEX identity_merges_kept ON identity_merges (kept);

-- Profile documents: traits, computed trait state, first/last seen, channels, JSON (owned by dev.tandem.profile).
CREATE TABLE profile_docs (
    profile_id INTEGER PRIMARY KEY,
    doc        TEXT NOT NULL
);

-- Which inbox events belong to which profile, for the profile's event history (owned by dev.tandem.profile).
CREATE TABLE profile_events (
    profile_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (profile_id, seq)
) WITHOUT ROWID;

-- API tokens with scopes, such as read access to profiles; only the SHA-256 is kept (owned by dev.tandem.server).
CREATE TABLE api_tokens (
    name       TEXT PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    scopes     TEXT NOT NULL,            -- comma-separated, e.g. profiles:read
    created_at INTEGER NOT NULL
);
