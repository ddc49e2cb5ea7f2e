/**
 * The change feed: what changed, told early and often. Items are read from the audit trail (changes
 * made, people added or changed, privacy requests completed with counts only, destinations' SLA state
 * changes, starts), served as JSON Feed 1.1 and Atom, and pushed to subscribers' webhooks, signed as
 * Standard Webhooks says: at once for urgent items, in a daily digest for the rest. Owns the
 * {@code feed_subscriptions} table.
 */
package dev.tandem.feed;
