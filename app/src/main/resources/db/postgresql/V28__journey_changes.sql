-- What a change's kind said of the object besides its fields (owned by dev.tandem.change), as JSON:
-- a destination's personal, a journey's dry run and reach. Approvers see what the tier came from.
ALTER TABLE changes ADD COLUMN facts TEXT;
-- Journeys made through changes (owned by dev.tandem.journey); those of tandem.yaml are in the file.
CREATE TABLE journey_declarations (
    journey     TEXT PRIMARY KEY,
    declaration TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- Trait updates decided by update steps, written in the commit that moved the instance and removed
-- once the identify carrying them is stored in the inbox (message_id: from the send id, so a
-- second emission after a crash is deduplicated there).
CREATE TABLE journey_trait_updates (
    message_id TEXT PRIMARY KEY,
    profile_id BIGINT NOT NULL,
    trait      TEXT NOT NULL,
    value      TEXT,
    created_at BIGINT NOT NULL
);
