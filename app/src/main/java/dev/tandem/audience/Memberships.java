package dev.tandem.audience;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The read side of membership for other capabilities: the keys of the audiences a profile is in now. */
public final class Memberships {
    private final AudienceStore store;
    private final Audiences audiences;

    public Memberships(Jdbi jdbi, Audiences audiences) {
        this.store = new AudienceStore(jdbi);
        this.audiences = audiences;
    }

    /** The key of the live audience with this id, or null when none has it (deleted). */
    public String keyOf(long audienceId) {
        for (LiveAudience a : audiences.snapshot().live()) {
            if (a.id() == audienceId) {
                return a.key();
            }
        }
        return null;
    }

    /** The size of every audience whose computation is done, by key, read now (for the change feed). */
    public Map<String, Long> sizes() {
        Map<String, Long> sizes = new java.util.LinkedHashMap<>();
        for (Audience a : audiences.list()) {
            if (a.state().status() == Audience.Status.READY) {
                sizes.put(a.definition().key(), a.state().size());
            }
        }
        return sizes;
    }

    /**
     * Up to {@code limit} current members of the live audience {@code key} with profile ids above
     * {@code after}, by profile id; none when no live audience has that key.
     */
    public List<Long> members(String key, long after, int limit) {
        for (LiveAudience a : audiences.snapshot().live()) {
            if (a.key().equals(key)) {
                return store.members(a.id(), after, limit).stream()
                        .map(AudienceStore.Member::profileId)
                        .toList();
            }
        }
        return List.of();
    }

    /** The keys of the live audiences the profile is in now. */
    public List<String> keysOf(long profileId) {
        Map<Long, Long> ids = store.audiencesOf(profileId);
        List<String> keys = new ArrayList<>(ids.size());
        if (!ids.isEmpty()) {
            for (LiveAudience a : audiences.snapshot().live()) {
                if (ids.containsKey(a.id())) {
                    keys.add(a.key());
                }
            }
        }
        return keys;
    }
}
