package dev.tandem.collect;

import java.util.Optional;

/** The six Segment call types, with the path and the one-letter short form of each. */
public enum EventType {
    IDENTIFY("identify", "i"),
    TRACK("track", "t"),
    PAGE("page", "p"),
    SCREEN("screen", "s"),
    GROUP("group", "g"),
    ALIAS("alias", "a");

    private final String wireName;
    private final String shortPath;

    EventType(String wireName, String shortPath) {
        this.wireName = wireName;
        this.shortPath = shortPath;
    }

    /** The name in an event's {@code type} field and in the long path. */
    public String wireName() {
        return wireName;
    }

    public String shortPath() {
        return shortPath;
    }

    /** The type named by an event's {@code type} field, exactly as Segment spells it. */
    public static Optional<EventType> fromWire(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
