/**
 * A simulator of believable, messy customers across channels (web, app, email, voice, store,
 * call center) that sends Segment spec events to a Tandem server and can write the truth: which
 * identifiers and events belong to which person, for measuring identity resolution.
 */
package dev.tandem.simulate;
