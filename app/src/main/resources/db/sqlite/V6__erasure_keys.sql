-- Keys an erasure still has to destroy (owned by dev.tandem.govern): written in the erasure's own transaction,
-- a row is deleted once its key is gone from the key store; the request is completed when none is left.
CREATE TABLE erasure_keys (
    request_id TEXT NOT NULL,              -- the privacy request
    key_id     TEXT NOT NULL,              -- the key store's id of a profile's key
    PRIMARY KEY (request_id, key_id)
);

-- Why a request is not completed yet, in words (such as "waiting to destroy 2 keys: ..."); null once completed.
ALTER TABLE privacy_requests ADD COLUMN status_reason TEXT;

-- The highest profile id an erasure deleted (owned by dev.tandem.identity): new profiles are numbered above it, so an erased
-- profile's id (and with it its key id in the key store, which may still wait to be destroyed) is never given to another customer.
CREATE TABLE erased_profile_ids (
    name TEXT PRIMARY KEY,                 -- 'highest'
    id   INTEGER NOT NULL
);
