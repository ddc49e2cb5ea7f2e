/**
 * The door: the Segment-compatible tracking API. It authenticates write keys, enforces size
 * limits, validates and enriches each event (messageId, receivedAt, corrected timestamp), and
 * commits accepted events to the inbox and refused ones to the quarantine, with their reason,
 * before it answers 200. Owns the {@code inbox} and {@code quarantine} tables and their routes.
 */
package dev.tandem.collect;
