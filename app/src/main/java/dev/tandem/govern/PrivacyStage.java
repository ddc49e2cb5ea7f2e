package dev.tandem.govern;

import dev.tandem.config.JsonText;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.process.BatchItem;
import dev.tandem.process.Stage;
import dev.tandem.protect.KeyStore;
import dev.tandem.protect.TraitSealer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Carries out privacy requests as the processor's background work, so an erasure never races a
 * batch: a request runs once the processor has applied every event accepted before it arrived
 * (its watermark); an erasure deletes in one transaction that also records the keys it owes, and
 * completes once the {@link KeyShredder} destroyed them. Access requests complete here too; their
 * export is read when it is fetched.
 */
public final class PrivacyStage implements Stage {
    private final Jdbi jdbi;
    private final PrivacyStore store;
    private final Erasure erasure;
    private final IdentityLookup identities;
    private final KeyShredder shredder;
    private final Clock clock;
    private volatile LongSupplier cursor = () -> 0;
    private volatile boolean maybePending = true;

    public PrivacyStage(Jdbi jdbi, Erasure erasure, IdentityLookup identities, KeyStore keys, Clock clock) {
        this.jdbi = jdbi;
        this.store = new PrivacyStore(jdbi);
        this.erasure = erasure;
        this.identities = identities;
        this.shredder = new KeyShredder(jdbi, store, keys, clock);
        this.clock = clock;
    }

    /** Where the processor stands; requests wait until it passed their watermark. */
    public void follow(LongSupplier processorCursor) {
        this.cursor = processorCursor;
    }

    /** A new request arrived: look for due work again. */
    void wake() {
        maybePending = true;
    }

    @Override
    public boolean background() {
        boolean shredded = shredder.run();
        if (!maybePending) {
            return shredded;
        }
        Optional<PrivacyRequest> due = store.nextDue(cursor.getAsLong());
        if (due.isEmpty()) {
            maybePending = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM privacy_requests WHERE status = 'pending'")
                    .mapTo(Long.class).one()) > 0;
            return shredded;
        }
        run(due.get());
        return true;
    }

    private void run(PrivacyRequest r) {
        List<Long> survivors = new ArrayList<>();
        for (long p : r.profiles()) {
            identities.profileOf(new Identifier(IdentityLookup.PROFILE_ID, Long.toString(p))).ifPresent(s -> {
                if (!survivors.contains(s)) {
                    survivors.add(s);
                }
            });
        }
        long now = clock.millis();
        if (!r.erasure()) {
            jdbi.useTransaction(h -> store.complete(h, r.id(), now, JsonText.of(Map.of("profiles_found", survivors.size()))));
            return;
        }
        Erasure.Scope scope = erasure.scope(survivors, List.of());
        long at = cursor.getAsLong();
        // crypto-shredding: once the keys are gone, copies of the profiles' documents in backups can no longer be decrypted
        List<String> keyIds = scope.profiles().stream().map(TraitSealer::keyId).toList();
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


    @Override
    public String name() {
        return "privacy";
    }

    @Override
    public void process(List<BatchItem> batch) {}

    @Override
    public void write(Handle transaction) {}

    @Override
    public void committed() {}

    @Override
    public void discard() {}

    @Override
    public void reset(Handle transaction) {}

    @Override
    public void erase(Handle transaction, Collection<Long> profiles) {}
}
