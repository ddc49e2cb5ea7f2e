package dev.tandem.pipeline;

/** Profile {@code profileId} entered ({@code entered}) or left audience {@code audienceId} because of inbox event {@code seq} (0: a merge). */
public record Membership(long audienceId, long profileId, boolean entered, long seq) {}
