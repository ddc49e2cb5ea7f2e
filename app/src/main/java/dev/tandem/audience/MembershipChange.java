package dev.tandem.audience;

/** A profile entered or left an audience at {@code at}, caused by inbox event {@code seq} (0: a background computation or a merge). */
record MembershipChange(long audienceId, long profileId, boolean entered, long at, long seq) {}
