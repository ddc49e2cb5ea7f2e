-- The audit trail (owned by dev.tandem.audit). Append-only: ids count from 1 without gaps, given
-- by the appender; detail is canonical JSON holding names, counts and ids, never personal values;
-- hash is the hex SHA-256 of the previous entry's hash and this entry's canonical JSON.
CREATE TABLE audit_log (
    id     BIGINT PRIMARY KEY,
    at     BIGINT NOT NULL,   -- epoch milliseconds
    actor  TEXT NOT NULL,      -- admin, token:<name>, system
    kind   TEXT NOT NULL,      -- such as token.created
    object TEXT NOT NULL,      -- such as token:web, privacy_request:<id>
    detail TEXT NOT NULL,
    hash   TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_object ON audit_log (object, id);
CREATE INDEX audit_log_kind ON audit_log (kind, id);

-- Signed checkpoints: the log had size entries, the last with hash root; Ed25519 signature and the
-- raw public key, both base64.
CREATE TABLE audit_checkpoints (
    size       BIGINT PRIMARY KEY,
    root       TEXT NOT NULL,
    at         BIGINT NOT NULL,
    signature  TEXT NOT NULL,
    public_key TEXT NOT NULL
);
