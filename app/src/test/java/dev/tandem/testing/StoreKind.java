package dev.tandem.testing;

/** The stores every storage test runs on. */
public enum StoreKind {
    SQLITE,
    POSTGRESQL
}
