package dev.tandem.audit;

/**
 * One entry as stored: {@code id} counts from 1 without gaps, {@code at} is epoch milliseconds,
 * {@code detail} is canonical JSON text and {@code hash} the hex SHA-256 that chains it to the entry
 * before (see {@link ChainHash}).
 */
public record AuditEntry(long id, long at, String actor, String kind, String object, String detail, String hash) {}
