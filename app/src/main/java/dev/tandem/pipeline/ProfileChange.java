package dev.tandem.pipeline;

import java.util.HashSet;
import java.util.Set;

/**
 * What one batch changed of one profile, named as expressions read it: {@code traits.plan},
 * {@code computed.orders}, {@code consent.marketing}, counters such as {@code event_count}; or
 * {@link #everything()} for a profile that is new or absorbed another. Filled in by the stages
 * that change profiles, read by every stage after them; valid until the batch ends.
 */
public final class ProfileChange {
    private final long profile;
    private final Set<String> names = new HashSet<>();
    private boolean everything;
    private boolean identifiers;

    ProfileChange(long profile) {
        this.profile = profile;
    }

    public long profile() {
        return profile;
    }

    /** The names changed; read-only for readers (it is the live set of this batch). */
    public Set<String> names() {
        return java.util.Collections.unmodifiableSet(names);
    }

    /** Whether every part of the profile may have changed: it is new, or it absorbed another. */
    public boolean everything() {
        return everything;
    }

    /** Whether the batch gave the profile an identifier. */
    public boolean identifiers() {
        return identifiers;
    }

    public void add(String name) {
        names.add(name);
    }

    public void markEverything() {
        everything = true;
    }

    public void markIdentifiers() {
        identifiers = true;
    }
}
