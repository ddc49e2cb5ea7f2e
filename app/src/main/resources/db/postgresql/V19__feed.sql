-- Subscriptions to the change feed (owned by dev.tandem.feed). urgent_after and digest_after: the
-- audit entry ids up to which urgent items and digest items were delivered; digest_due_at: epoch
-- milliseconds of the next digest. secret: the Standard Webhooks signing secret (whsec_...).
CREATE TABLE feed_subscriptions (
    id            TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    topics        TEXT NOT NULL,
    format        TEXT NOT NULL,
    secret        TEXT NOT NULL,
    urgent_after  BIGINT NOT NULL,
    digest_after  BIGINT NOT NULL,
    digest_due_at BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
