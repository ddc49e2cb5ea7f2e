package dev.tandem.change;

import java.util.Arrays;
import java.util.Optional;

/** How risky a change is, and so who must approve it before it is live. */
enum Tier {
    /** Applied at once, in the feed. */
    LOW("low"),
    /** One approval from the owning side, not the author. */
    MEDIUM("medium"),
    /** Two keys: one person from marketing and one from IT, neither the author. */
    HIGH("high");

    private final String wireName;

    Tier(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<Tier> named(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
