-- Decide secrets (owned by dev.tandem.decide): per source, the key its backend signs user tokens with, so that
-- POST /v1/decide with the source's write key may decide for a known userId. One per source; rotating replaces it.
CREATE TABLE decide_secrets (
    source_id  TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL           -- epoch milliseconds
);
