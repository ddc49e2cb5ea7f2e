-- Work due at a time (owned by dev.tandem.schedule): one row per (kind, key), upserted by
-- Scheduler.schedule and deleted when its job is done. wake_at is when the row next needs
-- attention: its due time while free, the end of its lease while a scheduler runs it. One index
-- on (kind, wake_at) finds due jobs, expired leases of crashed owners and the next wake time
-- without reading the jobs that are not due.
CREATE TABLE scheduled_jobs (
    kind       TEXT NOT NULL,
    job_key    TEXT NOT NULL,
    payload    TEXT,
    due_at     INTEGER NOT NULL,            -- epoch milliseconds: when the next attempt is due
    wake_at    INTEGER NOT NULL,            -- epoch milliseconds: due_at while free, the lease's end while claimed
    attempt    INTEGER NOT NULL,            -- 1 for the first run, one more after each failure
    owner      TEXT,                        -- the scheduler holding the lease; null when free
    lease      INTEGER NOT NULL DEFAULT 0,  -- fencing token of the current or last claim
    last_error TEXT,                        -- why the last attempt failed; null when it did not
    failed_at  INTEGER,                     -- epoch milliseconds of that failure
    PRIMARY KEY (kind, job_key)
);
CREATE INDEX scheduled_jobs_wake ON scheduled_jobs (kind, wake_at);
CREATE INDEX scheduled_jobs_failing ON scheduled_jobs (failed_at) WHERE last_error IS NOT NULL;
