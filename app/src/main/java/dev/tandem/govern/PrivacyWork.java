package dev.tandem.govern;

import dev.tandem.config.JsonText;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.protect.KeyStore;
import dev.tandem.protect.TraitSealer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Carries out privacy requests between the processor's batches, on its thread, so an erasure
 * never races a batch: a request runs once the processor has applied every event accepted before it arrived
 * (its watermark); an erasure deletes in one transaction that also records the keys it owes, and
 * completes once the {@link KeyShredder} destroyed them. Access requests complete here too; their
 * export is read when it is fetched.
 */
final class PrivacyWork {
    private final Jdbi jdbi;
    private final PrivacyStore store;
    private final Erasure erasure;
    private final IdentityLookup identities;
    private final KeyShredder shredder;
    private final Clock clock;
    private final Pipeline pipeline;
    private volatile boolean maybePending = true;
    private Runnable woken = () -> {};

    private final KeyStore keys;

    PrivacyWork(
            PrivacyStore store,
            Erasure erasure,
            IdentityLookup identities,
            KeyStore keys,
            Pipeline pipeline,
            Clock clock) {
        this.jdbi = store.jdbi();
        this.pipeline = pipeline;
        this.store = store;
        this.erasure = erasure;
        this.identities = identities;
        this.shredder = new KeyShredder(jdbi, store, keys, clock);
        this.keys = keys;
        this.clock = clock;
    }

    /** A new request arrived: look for due work again. */
    void wake() {
        maybePending = true;
        woken.run();
    }

    /** What to do when a request arrives: schedule this work now. */
    void whenWoken(Runnable listener) {
        this.woken = listener;
    }

    /**
     * When to look again, epoch milliseconds, or -1 when nothing is left: the next attempt at owed
     * keys, or soon while requests wait for the processor to pass their watermark.
     */
    long nextAttemptAt(long now, long watermarkPoll) {
        long keys = shredder.nextAttemptAt();
        long requests = maybePending ? now + watermarkPoll : -1;
        if (keys < 0 || requests < 0) {
            return Math.max(keys, requests);
        }
        return Math.min(keys, requests);
    }

    /** One request, or one attempt at owed keys; true when there was work. */
    boolean run() {
        boolean shredded = shredder.run();
        if (!maybePending) {
            return shredded;
        }
        Optional<PrivacyRequest> due = store.nextDue(pipeline.position());
        if (due.isEmpty()) {
            maybePending =
                    jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM privacy_requests WHERE status = :pending")
                                    .bind("pending", PrivacyRequest.Status.PENDING.wireName())
                                    .mapTo(Long.class)
                                    .one())
                            > 0;
            return shredded;
        }
        run(due.get());
        return true;
    }

    private void run(PrivacyRequest r) {
        List<Long> survivors = new ArrayList<>();
        for (long p : r.profiles()) {
            identities
                    .profileOf(new Identifier(IdentityLookup.PROFILE_ID, Long.toString(p)))
                    .ifPresent(s -> {
                        if (!survivors.contains(s)) {
                            survivors.add(s);
                        }
                    });
        }
        long now = clock.millis();
        if (!r.erasure()) {
            jdbi.useTransaction(
                    h -> store.complete(h, r.id(), now, JsonText.of(Map.of("profiles_found", survivors.size()))));
            return;
        }
        Erasure.Scope scope = erasure.scope(survivors, List.of());
        long at = pipeline.position();
        // crypto-shredding: once the keys are gone, copies of the profiles' documents in backups can no longer be
        // decrypted
        List<String> keyIds = new java.util.ArrayList<>(
                scope.profiles().stream().map(TraitSealer::keyId).toList());
        // and the keys of their raw events, sealed for each user id and anonymous id they had
        scope.identifiers().stream()
                .map(i -> keys.eventKeysOf(i.type(), i.value()))
                .filter(java.util.Objects::nonNull)
                .forEach(keyIds::add);
        jdbi.useTransaction(h -> {
            String result = JsonText.of(erasure.erase(h, r.id(), scope, now, at));
            if (keyIds.isEmpty()) {
                store.complete(h, r.id(), now, result);
            } else {
                shredder.owe(h, r.id(), keyIds);
                store.waiting(h, r.id(), result, KeyShredder.waitingFor(keyIds.size()));
            }
        });
        erasure.committed(scope);
        shredder.run();
    }
}
