-- One row per journey entered on a schedule: the due time of its current (or last) pass, the last
-- profile id the pass entered up to, how many it entered, and whether it finished. A restart goes
-- on from after_profile; the next pass is due one interval after pass_at.
CREATE TABLE journey_entry_passes (
    journey       TEXT PRIMARY KEY,
    pass_at       BIGINT NOT NULL,
    after_profile BIGINT NOT NULL,
    entered       BIGINT NOT NULL,
    finished      INTEGER NOT NULL
);
