/**
 * Destinations: the connector SPI ({@link dev.tandem.connect.ConnectorType},
 * {@link dev.tandem.connect.Connector}) and the built-in connectors (webhook, segment, file, kafka); the
 * outbox written in the processor's transaction, each message shaped by the destination's CEL
 * mapping, delivery through the policy gate with retries, a circuit breaker and dead letters, one
 * thread per destination; SLAs and health; destinations made through the admin API. Owns the
 * tables outbox, outbox_cursors, outbox_parked, dead_letters, destination_subjects,
 * destination_states and destination_declarations.
 */
package dev.tandem.connect;
