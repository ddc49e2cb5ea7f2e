-- The size of each audience when the change feed last compared it (owned by dev.tandem.feed): the
-- feed.audiences job compares the size a day later with this one, and an audience that moved by more
-- than the set share is a feed item. measured_at: epoch milliseconds of that size.
CREATE TABLE feed_audience_sizes (
    audience    TEXT PRIMARY KEY,
    size        BIGINT NOT NULL,
    measured_at BIGINT NOT NULL
);
