/**
 * Identity resolution: turns the identifiers an event carries (user and anonymous ids, email,
 * phone, device and advertising ids, external and custom ids) into one stable profile id, under
 * rules for priority, per-type limits and blocked values, and records every merge. Owns the
 * {@code profiles}, {@code identity_links} and {@code identity_merges} tables.
 */
package dev.tandem.identity;
