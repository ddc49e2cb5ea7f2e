package dev.tandem.module;

/**
 * One capability's wiring. A package builds its parts in {@link #wire} and declares there, through
 * the {@link Wiring}, everything it brings to a running Tandem: pipeline stages, work done between
 * batches, routes with the access each needs, and the parts to close. Services another package
 * needs are handed over as constructor arguments of the later module, so the server's composition
 * reads as the data flow, in one place.
 */
public interface Module {
    /** A short name for logs and start-up errors, such as {@code audience}. */
    String name();

    /** Builds this capability's parts and declares what it brings; called once, in composition order. */
    void wire(Wiring wiring);
}
