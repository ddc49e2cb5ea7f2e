/**
 * The processor: reads the inbox in arrival order, a batch at a time, runs the pipeline stages
 * (resolve, profile, and later ones) over each batch, and commits their changes together with
 * its cursor in one transaction, so a crash neither loses nor repeats an event. Owns the
 * {@code process_cursors} table, the processing-lag metrics and replay.
 */
package dev.tandem.process;
