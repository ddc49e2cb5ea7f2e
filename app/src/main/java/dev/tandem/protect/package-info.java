/**
 * Protection at collection: every field of an event gets a class (restricted, personal,
 * general) from tandem.yaml paths and from matchers on key names and values; restricted fields
 * are removed before anything is stored, and the removal is recorded without the value. Owns the
 * field catalog a steward reviews and the removal log.
 */
package dev.tandem.protect;
