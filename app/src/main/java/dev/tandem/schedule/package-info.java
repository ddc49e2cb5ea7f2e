/**
 * Work due at a time: a durable scheduler whose due times live in the {@code scheduled_jobs} table,
 * so they survive restarts, with an injected clock, leases that keep two processes on one database
 * from running a job twice, retries with backoff, and failures shown in metrics and at
 * {@code GET /v1/admin/jobs}. Owns that table; packages register a {@link dev.tandem.schedule.Job}
 * per kind of work and schedule jobs by (kind, key).
 */
package dev.tandem.schedule;
