package dev.tandem.audience;

import dev.tandem.expr.Expression;
import dev.tandem.expr.ProfileView;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background computation of new and edited audiences over the stored profiles, one slice of
 * profiles (by id) per call, each slice committed with the audience's progress, so a restart
 * resumes where it stopped. Audiences that start from the same profile are computed together in
 * one pass. Profiles that change meanwhile are kept right by the real-time stage, which
 * evaluates computing audiences too. Also purges deleted audiences.
 */
public final class Background {
    private static final Logger log = LoggerFactory.getLogger(Background.class);
    private static final int SLICE = 5_000;

    private final Jdbi jdbi;
    private final Audiences audiences;
    private final ProfileReader profiles;
    private final IdentityLookup identities;
    private final AudienceStore store;
    private final Clock clock;
    private final Map<Long, Long> startedAt = new HashMap<>();

    public Background(Jdbi jdbi, Audiences audiences, ProfileReader profiles, IdentityLookup identities, Clock clock) {
        this.jdbi = jdbi;
        this.audiences = audiences;
        this.profiles = profiles;
        this.identities = identities;
        this.store = new AudienceStore(jdbi);
        this.clock = clock;
    }

    /** Does one slice of work; false when there was none. */
    public boolean step(AudienceStage stage) {
        Audiences.Snapshot snapshot = audiences.snapshot();
        if (!snapshot.deleted().isEmpty()) {
            jdbi.useTransaction(h -> snapshot.deleted().forEach(id -> AudienceStore.purge(h, id)));
            stage.forgetAll();
            audiences.reload();
            return true;
        }
        List<LiveAudience> computing =
                snapshot.live().stream().filter(a -> a.audience().computing()).toList();
        if (computing.isEmpty()) {
            return false;
        }
        long from = computing.stream()
                .mapToLong(a -> a.audience().state().scannedTo())
                .min()
                .orElseThrow();
        List<LiveAudience> group = computing.stream()
                .filter(a -> a.audience().state().scannedTo() == from)
                .toList();
        long now = clock.millis();
        group.forEach(a -> startedAt.putIfAbsent(a.id(), now));
        List<ProfileView> page = profiles.page(
                from,
                SLICE,
                Expression.traitsRead(
                        group.stream().map(LiveAudience::condition).toList()));
        if (page.isEmpty()) {
            finish(group, now);
            return true;
        }
        long to = page.get(page.size() - 1).id();
        boolean needIdentifiers = group.stream().anyMatch(LiveAudience::readsIdentifiers);
        Map<Long, Map<String, List<String>>> ids = needIdentifiers
                ? identities.identifiersByType(
                        page.stream().map(ProfileView::id).toList())
                : Map.of();
        List<AudienceStage.Due> work = new ArrayList<>(page.size());
        for (ProfileView view : page) {
            work.add(new AudienceStage.Due(view.id(), group, view, ids.getOrDefault(view.id(), Map.of())));
        }
        boolean[][] results = stage.evaluateAll(work);
        List<MembershipChange> changes = new ArrayList<>();
        for (int k = 0; k < group.size(); k++) {
            LiveAudience a = group.get(k);
            Set<Long> members = store.members(a.id(), from + 1, to);
            for (int i = 0; i < work.size(); i++) {
                long profile = work.get(i).profile();
                if (results[i][k] != members.contains(profile)) {
                    changes.add(new MembershipChange(a.id(), profile, results[i][k], now, 0));
                }
            }
        }
        jdbi.useTransaction(h -> {
            AudienceStore.write(h, changes, now);
            for (LiveAudience a : group) {
                // only if nobody edited the audience meanwhile: an edit restarts the computation
                h.createUpdate("UPDATE audiences SET scanned_to = :to WHERE id = :id AND updated_at = :seen")
                        .bind("to", to)
                        .bind("id", a.id())
                        .bind("seen", a.audience().state().updatedAt())
                        .execute();
            }
        });
        stage.applied(changes);
        audiences.reload();
        return true;
    }

    private void finish(List<LiveAudience> group, long now) {
        jdbi.useTransaction(h -> {
            for (LiveAudience a : group) {
                h.createUpdate(
                                "UPDATE audiences SET status = :ready, computed_at = :now WHERE id = :id AND updated_at = :seen")
                        .bind("ready", Audience.Status.READY.wireName())
                        .bind("now", now)
                        .bind("id", a.id())
                        .bind("seen", a.audience().state().updatedAt())
                        .execute();
            }
        });
        long started = group.stream()
                .mapToLong(a -> startedAt.getOrDefault(a.id(), now))
                .min()
                .orElse(now);
        group.forEach(a -> startedAt.remove(a.id()));
        log.atInfo()
                .addKeyValue("audiences", group.size() == 1 ? group.get(0).key() : group.size() + " audiences")
                .addKeyValue("ms", now - started)
                .log("audience computation done");
        audiences.reload();
    }
}
