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
