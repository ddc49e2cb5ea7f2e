package dev.tandem.audience;

/**
 * An {@code Audience Entered} or {@code Audience Exited} event as stored: its id orders all of
 * them; {@code seq} is the inbox event that caused it, 0 for a background computation or a merge.
 */
record AudienceEvent(long id, long audienceId, long profileId, boolean entered, long at, long seq) {
    public String name() {
        return entered ? "Audience Entered" : "Audience Exited";
    }
}
