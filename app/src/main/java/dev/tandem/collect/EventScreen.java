package dev.tandem.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Looks at every event before it is stored, accepted or refused: it may remove fields that must
 * never be kept, and it may suppress the event altogether (its subject asked to be forgotten).
 * Runs on request threads, so it must be thread-safe and fast.
 */
public interface EventScreen {
    /** Keeps every event as it is. */
    EventScreen NONE = new EventScreen() {
        @Override
        public boolean keep(String sourceId, ObjectNode event) {
            return true;
        }

        @Override
        public String scrub(String sourceId, String text) {
            return text;
        }
    };

    /** Cleans the event in place; false when it must not be stored at all. */
    boolean keep(String sourceId, ObjectNode event);

    /** Text that is not a JSON object, cleaned to be kept in the quarantine. */
    String scrub(String sourceId, String text);

    /** Just before an accepted event is stored: encrypts what must not be stored in clear (see {@link EventSealing}). */
    default void seal(ObjectNode event) {}
}
