package dev.tandem.process;

/** Profile {@code merged} was joined into {@code kept}, which survives. */
public record Merge(long kept, long merged) {}
