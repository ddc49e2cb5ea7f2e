package dev.tandem.feed;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a feed item is about; subscribers choose topics. Urgent topics are pushed at once, the rest in a daily digest. */
public enum Topic {
    /** Changes made through the admin API, and changes of workspace objects of low and medium tier. */
    CHANGES("changes", false),
    /** High-tier changes of workspace objects (two keys): proposed, approved, rejected, applied. */
    APPROVALS("approvals", true),
    /** People added, changed or removed, links issued: who may do what. */
    PEOPLE("people", true),
    /** Privacy requests received and completed (ids, types and counts only). */
    PRIVACY("privacy", false),
    /** A destination's SLA state changed (healthy, degraded, breached). */
    DESTINATIONS("destinations", true),
    /** An audience whose size moved by more than the set share in a day. */
    AUDIENCES("audiences", false),
    /** Tandem started. */
    OPERATIONS("operations", false);

    public static final List<String> WIRE_NAMES =
            Arrays.stream(values()).map(Topic::wireName).toList();

    private final String wireName;
    private final boolean urgent;

    Topic(String wireName, boolean urgent) {
        this.wireName = wireName;
        this.urgent = urgent;
    }

    public String wireName() {
        return wireName;
    }

    public boolean urgent() {
        return urgent;
    }

    public static Optional<Topic> named(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
