/**
 * Start-up and wiring: reads {@code tandem.yaml} and {@code TANDEM_*} settings, opens the store,
 * builds every capability and registers its routes on one Javalin server, guards the admin
 * routes with the admin token, and maps every failure to the JSON error shape. Start reading at
 * {@link dev.tandem.server.Tandem#start}.
 */
package dev.tandem.server;
