-- Changes of workspace objects and their approvals (owned by dev.tandem.change). A change is
-- proposed (by the API, the CLI or an edited tandem.yaml: origin api or file), gets a risk tier
-- from the change rules, and is applied at once or waits for approvals. declaration: the object
-- as proposed (JSON; null for a removal), previous: as it was live, diff: what changed, as JSON.
-- Times are epoch milliseconds.
CREATE TABLE changes (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    object_key    TEXT NOT NULL,
    action        TEXT NOT NULL,
    origin        TEXT NOT NULL,
    author        TEXT NOT NULL,
    author_person TEXT,
    author_side   TEXT,
    tier          TEXT NOT NULL,
    tier_rule     TEXT NOT NULL,
    status        TEXT NOT NULL,
    declaration   TEXT,
    previous      TEXT,
    diff          TEXT NOT NULL,
    note          TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX changes_by_status ON changes (status, id);
CREATE INDEX changes_by_object ON changes (kind, object_key, status);
-- One verdict per person and change; an edit of the change deletes them (approvals reset).
-- conditions: what a qualified approval attaches (JSON object), null for a plain one.
CREATE TABLE change_approvals (
    change_id  INTEGER NOT NULL,
    person     TEXT NOT NULL,
    side       TEXT,
    role       TEXT NOT NULL,
    verdict    TEXT NOT NULL,
    conditions TEXT,
    comment    TEXT,
    at         INTEGER NOT NULL,
    PRIMARY KEY (change_id, person)
);
-- What tandem.yaml declared, as last applied: a start compares the file with it, and what the file
-- changes becomes a change (applied at once or pending, by its tier).
CREATE TABLE workspace_applied (
    kind        TEXT NOT NULL,
    object_key  TEXT NOT NULL,
    declaration TEXT NOT NULL,
    change_id   INTEGER NOT NULL,
    applied_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, object_key)
);
