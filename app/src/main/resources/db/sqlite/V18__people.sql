-- People (owned by dev.tandem.people). password: an Argon2id PHC string, null until the person
-- follows their sign-in link. Links and sessions are stored as the SHA-256 of their secret only.
CREATE TABLE people (
    name       TEXT PRIMARY KEY,
    team       TEXT NOT NULL,
    role       TEXT NOT NULL,
    password   TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE sign_in_links (
    sha256     TEXT PRIMARY KEY,
    person     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    sha256     TEXT PRIMARY KEY,
    person     TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_person ON sessions (person);

-- An API token a person made belongs to them and is checked against their role at every use;
-- null for tokens made with the admin token (automation).
ALTER TABLE api_tokens ADD COLUMN owner TEXT;
