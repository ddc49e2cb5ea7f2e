/**
 * Where data comes from and goes to. For now: sources, each with a write key that the SDKs
 * send, declared in {@code tandem.yaml} or created through {@code /v1/admin/sources}. Owns the
 * {@code sources} table. Destinations, delivery and SLAs will live here too.
 */
package dev.tandem.connect;
