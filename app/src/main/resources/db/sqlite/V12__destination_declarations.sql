-- Destinations made through the admin API (owned by dev.tandem.connect): the declaration as it was
-- accepted, the same fields as tandem.yaml's destinations, read again at start. Settings are kept
-- as sent: a secret given as a reference to an environment variable stays a reference.
CREATE TABLE destination_declarations (
    destination TEXT PRIMARY KEY,
    declaration TEXT NOT NULL,
    created_at  BIGINT NOT NULL,   -- epoch milliseconds
    updated_at  BIGINT NOT NULL
);
