package dev.tandem.pipeline;

/** Profile {@code profileId} was first exposed to {@code arm} of {@code experiment} by inbox event {@code seq}. */
public record Exposure(String experiment, String arm, long profileId, long seq) {}
