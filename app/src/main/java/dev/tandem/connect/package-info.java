/**
 * Destinations: the connector SPI ({@link dev.tandem.connect.ConnectorType},
 * {@link dev.tandem.connect.Connector}) and the built-in connectors (webhook, segment, file, kafka); the
 * outbox written in the processor's transaction, delivery through the policy gate with retries, a
 * circuit breaker and dead letters, one thread per destination; SLAs and health. Owns the tables
 * outbox, outbox_cursors, outbox_parked, dead_letters, destination_subjects and destination_states.
 */
package dev.tandem.connect;
