package dev.tandem.pipeline;

import dev.tandem.expr.ProfileView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What one batch changed, recorded by the stages in pipeline order and read by every stage after
 * the one that recorded it: per profile what changed ({@link ProfileChange}), merges, memberships
 * entered and left, experiment exposures, events emitted. Stages never reach into each other; this
 * is all they share. Besides the changes it answers, for any profile the batch touched, the profile
 * and its identifiers as the batch left them (the stages that own them register the readers).
 *
 * <p>Mutable and single-threaded on purpose, like {@link BatchItem}: one per batch, on the
 * processor's thread, so stages add to it without copying.
 */
public final class BatchChanges {
    private final Map<Long, ProfileChange> profiles = new LinkedHashMap<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<Membership> memberships = new ArrayList<>();
    private final List<Exposure> exposures = new ArrayList<>();
    private final List<EmittedEvent> emitted = new ArrayList<>();
    private LongFunction<ProfileView> views = id -> null;
    private LongFunction<Map<String, List<String>>> identifiers = id -> Map.of();

    /** The change of this profile, started when it is the first. */
    public ProfileChange profile(long id) {
        ProfileChange change = profiles.get(id);
        if (change == null) {
            change = new ProfileChange(id);
            profiles.put(id, change);
        }
        return change;
    }

    /** The profiles changed, in the order they were first changed. */
    public Collection<ProfileChange> profiles() {
        return Collections.unmodifiableCollection(profiles.values());
    }

    /** A profile merged away has no change of its own any more: what changed is the kept one's. */
    public void forget(long profile) {
        profiles.remove(profile);
    }

    public void merged(Merge merge) {
        merges.add(merge);
    }

    public List<Merge> merges() {
        return Collections.unmodifiableList(merges);
    }

    public void membership(Membership change) {
        memberships.add(change);
    }

    public List<Membership> memberships() {
        return Collections.unmodifiableList(memberships);
    }

    public void exposed(Exposure exposure) {
        exposures.add(exposure);
    }

    public List<Exposure> exposures() {
        return Collections.unmodifiableList(exposures);
    }

    public void emit(EmittedEvent event) {
        emitted.add(event);
    }

    public List<EmittedEvent> emitted() {
        return Collections.unmodifiableList(emitted);
    }

    /** Registered by the stage that writes {@link Change#PROFILES}: the profile as this batch left it. */
    public void viewsFrom(LongFunction<ProfileView> reader) {
        this.views = reader;
    }

    /** The profile as this batch left it, or null when it has none (merged away, or never seen). */
    public ProfileView view(long profile) {
        return views.apply(profile);
    }

    /** Registered by the stage that writes {@link Change#IDENTIFIERS}. */
    public void identifiersFrom(LongFunction<Map<String, List<String>>> reader) {
        this.identifiers = reader;
    }

    /** A profile's identifiers as this batch left them, values by type. */
    public Map<String, List<String>> identifiers(long profile) {
        return identifiers.apply(profile);
    }
}
