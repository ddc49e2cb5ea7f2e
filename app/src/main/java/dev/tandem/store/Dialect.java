package dev.tandem.store;

/** The SQL dialects Tandem speaks; each has its own migration folder. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The classpath folder holding this dialect's Flyway migrations. */
    String migrations() {
        return "classpath:db/" + folder;
    }
}
