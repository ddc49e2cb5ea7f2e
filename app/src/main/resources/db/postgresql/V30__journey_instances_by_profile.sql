-- Journey instances keyed by profile first: the unique key (profile_id, journey, entry_key) also
-- serves every lookup by profile, so the separate index on profile_id goes, and an instance entered
-- costs one randomly placed index entry instead of two.
-- An instance entered on an event now names it by entry_seq (its seq in the inbox) instead of
-- holding a copy in context: the row shrinks from several hundred bytes to about a hundred, and the
-- event stays in the inbox alone (sealed, erased and retained there). Rows stored before keep theirs.
ALTER TABLE journey_instances ADD COLUMN entry_seq BIGINT;
ALTER TABLE journey_instances ADD CONSTRAINT journey_instances_profile_journey_key UNIQUE (profile_id, journey, entry_key);
ALTER TABLE journey_instances DROP CONSTRAINT journey_instances_journey_profile_id_entry_key_key;
DROP INDEX journey_instances_profile;
