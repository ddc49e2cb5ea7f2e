package dev.tandem.connect;

/** A source as {@code tandem.yaml} or the admin API declares it; a null write key is generated. */
public record SourceDeclaration(String name, String writeKey) {}
