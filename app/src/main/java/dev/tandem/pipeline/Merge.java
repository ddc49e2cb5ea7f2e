package dev.tandem.pipeline;

/** Profile {@code merged} was joined into {@code kept}, which survives. */
public record Merge(long kept, long merged) {}
