/**
 * Real-time audiences: definitions (from {@code tandem.yaml} or the admin API) with a CEL
 * condition, the {@code audience} pipeline stage that keeps membership as profiles change,
 * background computation of new or edited audiences, Audience Entered/Exited events, and the
 * Audience API. Owns the {@code audience_*} tables.
 */
package dev.tandem.audience;
