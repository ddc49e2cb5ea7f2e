-- Work due at a time (owned by dev.tandem.schedule): one row per (kind, key), upserted by
-- Scheduler.schedule and deleted when its job is done. A claim writes only owner, lease and
-- lease_until, none of them indexed, so that claiming rewrites no index entry; the index on
-- (kind, due_at) finds due jobs and the next due time without reading the jobs not yet due.
CREATE TABLE scheduled_jobs (
    kind        TEXT NOT NULL,
    job_key     TEXT NOT NULL,
    payload     TEXT,
    due_at      INTEGER NOT NULL,            -- epoch milliseconds: when the next attempt is due
    attempt     INTEGER NOT NULL,            -- 1 for the first run, one more after each failure
    owner       TEXT,                        -- the scheduler holding the lease; null when free
    lease       INTEGER NOT NULL DEFAULT 0,  -- fencing token of the current or last claim; negated when rescheduled meanwhile
    lease_until INTEGER,                     -- epoch milliseconds: when the lease ends and another owner may take the job
    last_error  TEXT,                        -- why the last attempt failed; null when it did not
    failed_at   INTEGER,                     -- epoch milliseconds of that failure
    PRIMARY KEY (kind, job_key)
);
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (kind, due_at);
CREATE INDEX scheduled_jobs_failing ON scheduled_jobs (failed_at) WHERE last_error IS NOT NULL;
