package dev.tandem.govern;

import dev.tandem.protect.KeyStore;
import dev.tandem.store.InLists;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destroys the keys erasures owe (crypto-shredding) until every one is gone. An erasure records
 * its profiles' key ids in its own transaction ({@link #owe}), so a crash before they are
 * destroyed resumes at the next start; an erasure request is completed only once none of its keys
 * is left. When the key store fails (a full disk, a locked {@code keys.db}) the request stays
 * {@code in_progress} with the error as its reason, and the next attempt waits a pause that
 * doubles from {@link #FIRST_PAUSE} to {@link #MAX_PAUSE}, timed by the injected clock. Runs on
 * the processor thread only (the {@code privacy.requests} job, in the pipeline lane).
 */
final class KeyShredder {
    private static final Logger log = LoggerFactory.getLogger(KeyShredder.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofMinutes(5);

    private final Jdbi jdbi;
    private final PrivacyStore requests;
    private final KeyStore keys;
    private final Clock clock;
    /** Whether the table may hold owed keys; true at start, so that keys owed before a crash are found. */
    private boolean owed = true;

    private long pauseMillis;
    private long nextAttemptAt;

    KeyShredder(Jdbi jdbi, PrivacyStore requests, KeyStore keys, Clock clock) {
        this.jdbi = jdbi;
        this.requests = requests;
        this.keys = keys;
        this.clock = clock;
    }

    /** Records, inside the erasure's transaction, the keys that request must see destroyed. */
    void owe(Handle h, String requestId, Collection<String> keyIds) {
        var batch = h.prepareBatch(
                "INSERT INTO erasure_keys (request_id, key_id) VALUES (:r, :k) ON CONFLICT (request_id, key_id) DO NOTHING");
        keyIds.forEach(k -> batch.bind("r", requestId).bind("k", k).add());
        batch.execute();
        owed = true;
        nextAttemptAt = 0;
    }

    /** One attempt when keys are owed and the pause after a failure is over; true when it destroyed keys. */
    boolean run() {
        if (!owed || clock.millis() < nextAttemptAt) {
            return false;
        }
        Map<String, List<String>> byRequest = owedKeys();
        if (byRequest.isEmpty()) {
            owed = false;
            return false;
        }
        Set<String> ids = new LinkedHashSet<>();
        byRequest.values().forEach(ids::addAll);
        try {
            keys.destroy(ids);
        } catch (RuntimeException e) {
            failed(byRequest, e);
            return false;
        }
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            for (List<String> chunk : InLists.chunks(ids)) {
                h.createUpdate("DELETE FROM erasure_keys WHERE key_id IN (<k>)")
                        .bindList("k", chunk)
                        .execute();
            }
            requests.completeWhenNoKeysLeft(h, byRequest.keySet(), now);
        });
        if (pauseMillis > 0) {
            log.atInfo()
                    .addKeyValue("keys", ids.size())
                    .addKeyValue("requests", byRequest.size())
                    .log("owed keys destroyed after retries");
        }
        owed = false;
        pauseMillis = 0;
        nextAttemptAt = 0;
        return true;
    }

    private void failed(Map<String, List<String>> byRequest, RuntimeException e) {
        pauseMillis = pauseMillis == 0 ? FIRST_PAUSE.toMillis() : Math.min(pauseMillis * 2, MAX_PAUSE.toMillis());
        nextAttemptAt = clock.millis() + pauseMillis;
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Map<String, String> reasons = new LinkedHashMap<>();
        byRequest.forEach((request, keyIds) -> reasons.put(request, waitingFor(keyIds.size()) + ": " + error));
        jdbi.useTransaction(h -> requests.waiting(h, reasons));
        log.atWarn()
                .setCause(e)
                .addKeyValue("requests", byRequest.keySet())
                .addKeyValue("retryInMs", pauseMillis)
                .log(
                        "destroying the keys of erased profiles failed; the erasures stay in progress and it will be retried");
    }

    /** When the next attempt at owed keys is due, epoch milliseconds; -1 when none are owed. */
    long nextAttemptAt() {
        return owed ? nextAttemptAt : -1;
    }

    /** The reason of a request that waits for {@code n} keys. */
    static String waitingFor(int n) {
        return "waiting to destroy " + n + (n == 1 ? " key" : " keys");
    }

    private Map<String, List<String>> owedKeys() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT request_id, key_id FROM erasure_keys ORDER BY request_id, key_id")
                .map((rs, ctx) -> out.computeIfAbsent(rs.getString(1), r -> new java.util.ArrayList<>())
                        .add(rs.getString(2)))
                .list());
        return out;
    }
}
