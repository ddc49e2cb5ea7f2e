-- Field catalog (owned by dev.tandem.protect): every field path seen in events, its class and why, for stewards to review.
CREATE TABLE field_catalog (
    path           TEXT PRIMARY KEY,       -- such as properties.card_number or properties.products[].sku
    class          TEXT NOT NULL,          -- restricted, personal or general
    classified_by  TEXT NOT NULL,          -- the rule that gave the class, in words
    seen           BIGINT NOT NULL,
    first_seen     BIGINT NOT NULL,       -- epoch milliseconds
    last_seen      BIGINT NOT NULL,
    reviewed_class TEXT,                   -- set by a steward through the API
    reviewed_at    BIGINT
);

-- Fields removed at collection (owned by dev.tandem.protect): counts by source, path and reason; never the value.
CREATE TABLE field_removals (
    source_id TEXT NOT NULL,
    path      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    count     BIGINT NOT NULL,
    first_at  BIGINT NOT NULL,
    last_at   BIGINT NOT NULL,
    PRIMARY KEY (source_id, path, reason)
);

-- Consent history (owned by dev.tandem.profile): every change of a profile's consent for a purpose, from which signal.
CREATE TABLE consent_history (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id BIGINT NOT NULL,
    purpose    TEXT NOT NULL,
    granted    BIGINT NOT NULL,           -- 1 granted, 0 withdrawn or refused
    signal     TEXT NOT NULL,              -- categoryPreferences, tcf, gpc
    at         BIGINT NOT NULL,           -- event time, epoch milliseconds
    message_id TEXT NOT NULL
);
CREATE INDEX consent_history_profile ON consent_history (profile_id, id);

-- Privacy requests (owned by dev.tandem.govern), shaped like OpenDSR. Identities are kept as SHA-256 only.
CREATE TABLE privacy_requests (
    id           TEXT PRIMARY KEY,         -- the subject_request_id
    type         TEXT NOT NULL,            -- access or erasure
    status       TEXT NOT NULL,            -- pending, in_progress, completed
    submitted_at BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    completed_at BIGINT,
    identities   TEXT NOT NULL,            -- JSON: [{type, sha256}]
    profile_ids  TEXT NOT NULL,            -- comma-separated, found when the request arrived
    watermark    BIGINT NOT NULL,         -- the last inbox seq when the request arrived
    result       TEXT                      -- JSON: what was done, counts only
);

-- Suppressed identifiers (owned by dev.tandem.govern): events carrying one are not stored. SHA-256 of type:value.
CREATE TABLE suppressions (
    sha256     TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    request_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Policy decisions other than a plain allow (owned by dev.tandem.govern).
CREATE TABLE gate_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    flow      TEXT NOT NULL,               -- JSON: kind, name, purposes, risk tier, region, role
    subject   BIGINT,                     -- profile id, when there is one
    decision  TEXT NOT NULL,               -- deny or allow_with
    rules     TEXT NOT NULL                -- JSON: the rules that applied and why
);

-- API tokens (owned by dev.tandem.server) now say who reads and why: the role and the purposes the policy gate sees.
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN purposes TEXT NOT NULL DEFAULT '';
