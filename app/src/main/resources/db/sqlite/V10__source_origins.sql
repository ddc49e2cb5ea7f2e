-- The browser origins each source accepts events from (owned by dev.tandem.collect). A source
-- with no row accepts any origin; one with rows only those, compared exactly (scheme://host[:port]).
CREATE TABLE source_origins (
    source_id TEXT NOT NULL,
    origin    TEXT NOT NULL,
    PRIMARY KEY (source_id, origin)
);
