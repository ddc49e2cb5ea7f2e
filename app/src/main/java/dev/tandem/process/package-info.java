/**
 * The processor: reads the inbox in arrival order, a batch at a time, runs the
 * {@link dev.tandem.pipeline.Pipeline} over each batch, and commits the stages' changes together
 * with its cursor in one transaction, so a crash neither loses nor repeats an event. Owns the
 * {@code process_cursors} and {@code process_set_aside} tables, the processing-lag metrics, the
 * processing quarantine and replay.
 */
package dev.tandem.process;
