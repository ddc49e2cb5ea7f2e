-- Destinations (owned by dev.tandem.connect). The outbox is written in the processor's
-- transaction: one row per event, profile update or membership change that at least one
-- destination subscribes to, naming those destinations. Each destination reads it with its own
-- cursor; what failed waits in outbox_parked; what was given up on is kept in dead_letters.
CREATE TABLE outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id   BIGINT NOT NULL,
    kind         TEXT NOT NULL,     -- event (the inbox event seq), identify (the profile as it is), audience, message
    seq          BIGINT NOT NULL,  -- the inbox seq of the event that caused it; 0 when none did
    detail       TEXT,              -- audience: {"audience", "entered"}; message: the whole message (replays, deletions)
    destinations TEXT NOT NULL,     -- the keys it is for, as ',crm,ads,'
    received_at  BIGINT NOT NULL   -- epoch milliseconds: when Tandem received what caused it
);
CREATE INDEX outbox_profile ON outbox (profile_id);

-- Where each destination stands in the outbox; inflight_to: the last row of the batch being sent
-- (0 when none), so that after a crash the same rows go again as the same batch, with the same id.
CREATE TABLE outbox_cursors (
    destination TEXT PRIMARY KEY,
    position    BIGINT NOT NULL,
    inflight_to BIGINT NOT NULL DEFAULT 0
);

-- Outbox rows a destination has not delivered yet, in outbox order per profile: batch is the
-- delivery id of the batch they failed in (sent again as that batch), or null for a row waiting
-- behind an earlier row of its profile.
CREATE TABLE outbox_parked (
    destination      TEXT NOT NULL,
    outbox_id        BIGINT NOT NULL,
    profile_id       BIGINT NOT NULL,
    batch            TEXT,
    attempts         INTEGER NOT NULL,
    not_before       BIGINT NOT NULL,
    first_attempt_at BIGINT NOT NULL,
    last_error       TEXT,
    PRIMARY KEY (destination, outbox_id)
);
CREATE INDEX outbox_parked_profile ON outbox_parked (profile_id);

-- What a destination gave up on, with why: what Tandem had, what was sent, what came back.
CREATE TABLE dead_letters (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination TEXT NOT NULL,
    outbox_id   BIGINT NOT NULL,
    profile_id  BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    attempts    INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    had         TEXT,
    sent        TEXT,
    response    TEXT,
    replayed_at BIGINT
);
CREATE INDEX dead_letters_destination ON dead_letters (destination, id);
CREATE INDEX dead_letters_profile ON dead_letters (profile_id);

-- Which profiles a destination has received data of, so that an erasure reaches it.
CREATE TABLE destination_subjects (
    destination TEXT NOT NULL,
    profile_id  BIGINT NOT NULL,
    PRIMARY KEY (destination, profile_id)
);

-- Each destination's SLA state changes, newest last.
CREATE TABLE destination_states (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination TEXT NOT NULL,
    at          BIGINT NOT NULL,
    state       TEXT NOT NULL,
    reasons     TEXT NOT NULL
);
CREATE INDEX destination_states_destination ON destination_states (destination, id);
