/**
 * The tamper-evident audit trail: an append-only log of who did what to which object (never personal
 * values), each entry's hash covering the previous entry's hash and its own canonical JSON, with signed
 * checkpoints (Ed25519) that IT can export and keep outside Tandem. Every package that decides or
 * changes something appends here through {@link dev.tandem.audit.AuditLog}.
 */
package dev.tandem.audit;
