/**
 * Journeys: a customer's lifecycle declared as steps (wait, wait for, branch, split, send, update,
 * exit), entered from the pipeline (an event, an audience entered) in the batch's transaction and
 * run durably on the scheduler's pipeline lane, one instance row per journey, profile and entry key.
 * Sends go through the policy gate and a destination's outbox with a deterministic send id as the
 * message id; frequency caps hold per profile, channel and local day across journeys. Owns the
 * {@code journey_*} tables.
 */
package dev.tandem.journey;
