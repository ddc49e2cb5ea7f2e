/**
 * Retention: per source, how long accepted events and quarantined ones stay in the live store
 * ({@code retention:} on a source in {@code tandem.yaml}); the {@code retain.archive} job that
 * moves older ones, in slices between the processor's batches, into the archive files that
 * {@code dev.tandem.collect} keeps; the stage that keeps a replay's event index free of archived
 * events; and the archive's side of an erasure. It owns no table.
 */
package dev.tandem.retain;
