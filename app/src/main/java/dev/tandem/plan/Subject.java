package dev.tandem.plan;

import dev.tandem.collect.EventType;

/**
 * What one schema of a plan describes: the properties of a track event of one name, the traits of
 * identify calls, or the properties of page or screen calls.
 *
 * @param event the track event's name; null for identify, page and screen
 */
public record Subject(EventType type, String event) {
    static final Subject IDENTIFY = new Subject(EventType.IDENTIFY, null);
    static final Subject PAGE = new Subject(EventType.PAGE, null);
    static final Subject SCREEN = new Subject(EventType.SCREEN, null);

    static Subject track(String event) {
        return new Subject(EventType.TRACK, event);
    }

    /** The object of the event the schema validates: {@code traits} for identify, else {@code properties}. */
    String field() {
        return type == EventType.IDENTIFY ? "traits" : "properties";
    }

    /** How violations and answers name it: the event name, or {@code identify}, {@code page}, {@code screen}. */
    String label() {
        return event != null ? event : type.wireName();
    }
}
