/**
 * The pipeline's contract: a {@link dev.tandem.pipeline.Stage} reads a
 * {@link dev.tandem.pipeline.Batch} and the typed {@link dev.tandem.pipeline.BatchChanges}
 * earlier stages recorded (profiles changed, identifiers, merges, memberships, exposures, events
 * emitted) and adds its own; no stage holds a reference to another. {@link
 * dev.tandem.pipeline.Pipeline} keeps the stages in data-flow order and checks what each declares
 * it reads against what earlier ones write. Owns no table; the processor runs it.
 */
package dev.tandem.pipeline;
