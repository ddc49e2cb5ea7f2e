/**
 * The unified profile: traits (the later event wins, or the source a trait's precedence names),
 * first and last seen, channels and sources, and computed traits kept incrementally as events
 * arrive; and the Profile API that reads it by any identifier. Owns the {@code profile_docs},
 * {@code consent_history} and event index ({@code profile_event_chunks}, {@code event_owners}) tables.
 */
package dev.tandem.profile;
