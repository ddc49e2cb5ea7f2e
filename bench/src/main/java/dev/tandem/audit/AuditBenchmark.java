package dev.tandem.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.Json;
import dev.tandem.store.Database;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@code ./tandem bench audit [--appends 20000] [--entries 1000000] [--database-url URL]}: the audit
 * trail's append rate (each entry one committed insert, as the server appends) against a baseline in
 * the same run, a plain insert of the same rows without the hash chain, one commit each, and with 8
 * concurrent callers sharing commits; then the
 * time {@code verify} takes over a log of {@code --entries} entries (loaded in bulk first). Targets:
 * 5,000 appends/s and 1,000,000 entries verified in under 10 s.
 */
public final class AuditBenchmark {
    /** Concurrent appenders, as admin requests, sign-ins and SLA changes arrive together. */
    private static final int THREADS = 8;

    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int appends = 20_000;
        int entries = 1_000_000;
        String url = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--appends" -> appends = Integer.parseInt(args[i + 1]);
                case "--entries" -> entries = Integer.parseInt(args[i + 1]);
                case "--database-url" -> url = args[i + 1];
                default ->
                    throw new IllegalArgumentException("Bad argument '" + args[i]
                            + "'; the options are --appends N, --entries N, --database-url URL");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "Every option needs a value: --appends N, --entries N, --database-url URL");
        }
        System.out.printf("Audit benchmark: %,d appends, verify over %,d entries%n", appends, entries);
        try (Database sqlite = Database.sqlite(Files.createTempDirectory("tandem-bench-audit"), "FULL")) {
            run("SQLite (synchronous FULL, the server's default)", sqlite, appends, entries);
        }
        if (url != null) {
            try (Database postgres = Database.postgres(url)) {
                postgres.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log"));
                postgres.jdbi().useHandle(h -> h.execute("DELETE FROM audit_checkpoints"));
                run("PostgreSQL", postgres, appends, entries);
            }
        }
    }

    private static void run(String name, Database db, int appends, int entries) throws InterruptedException {
        Jdbi jdbi = db.jdbi();
        ObjectMapper mapper = Json.mapper();
        System.out.printf("%n%s%n", name);
        jdbi.useHandle(h -> h.execute("CREATE TABLE bench_plain_log (id BIGINT PRIMARY KEY, at BIGINT NOT NULL, "
                + "actor TEXT NOT NULL, kind TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL)"));
        Map<String, Object> detail = Map.of("route", "POST /v1/admin/audiences", "status", 201);
        String text = Canonical.json(mapper, mapper.valueToTree(detail));
        for (int round = 0; round < 2; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < appends; i++) {
                long id = (long) round * appends + i + 1;
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO bench_plain_log (id, at, actor, kind, object, detail) "
                                + "VALUES (:id, :at, 'admin', 'admin.change', '/v1/admin/audiences/big', :d)")
                        .bind("id", id)
                        .bind("at", System.currentTimeMillis())
                        .bind("d", text)
                        .execute());
            }
            double plain = appends / seconds(t);
            AuditLog log = new AuditLog(jdbi, mapper, Clock.systemUTC());
            t = System.nanoTime();
            for (int i = 0; i < appends; i++) {
                log.append("admin", AuditKind.ADMIN_CHANGE, "/v1/admin/audiences/big", detail);
            }
            double chained = appends / seconds(t);
            t = System.nanoTime();
            Thread[] callers = new Thread[THREADS];
            for (int c = 0; c < THREADS; c++) {
                int share = appends / THREADS;
                callers[c] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < share; i++) {
                        log.append("admin", AuditKind.ADMIN_CHANGE, "/v1/admin/audiences/big", detail);
                    }
                });
            }
            for (Thread c : callers) {
                c.join();
            }
            double grouped = (appends / THREADS * THREADS) / seconds(t);
            System.out.printf(
                    "  round %d: plain insert, 1 caller %,9.0f rows/s   append, 1 caller %,9.0f entries/s (ratio %.2f)"
                            + "   append, %d callers %,9.0f entries/s   (target 5,000/s)%n",
                    round + 1, plain, chained, chained / plain, THREADS, grouped);
        }
        jdbi.useHandle(h -> h.execute("DROP TABLE bench_plain_log"));

        long have = new AuditLog(jdbi, mapper, Clock.systemUTC()).head().size();
        long t = System.nanoTime();
        load(jdbi, mapper, have, entries - have, text);
        System.out.printf("  loaded %,d entries in bulk in %.1f s%n", entries - have, seconds(t));
        Checkpoints checkpoints = new Checkpoints(jdbi, SigningKey.in(createTemp()), Clock.systemUTC());
        // signed as a running server signs its log, so that verify finds it anchored however old its entries
        checkpoints.of(new AuditLog(jdbi, mapper, Clock.systemUTC()).head());
        AuditVerifier verifier = new AuditVerifier(jdbi, mapper, checkpoints, Clock.systemUTC());
        for (int round = 0; round < 2; round++) {
            t = System.nanoTime();
            Verdict v = verifier.verify(null);
            double s = seconds(t);
            if (!v.valid() || v.entries() != entries) {
                throw new IllegalStateException("the benchmark's log does not verify: " + v);
            }
            System.out.printf(
                    "  round %d: verify %,d entries in %.2f s (%,.0f entries/s; target under 10 s)%n",
                    round + 1, v.entries(), s, v.entries() / s);
        }
    }

    /** Appends {@code count} valid entries after the {@code have} there are, 10,000 a transaction. */
    private static void load(Jdbi jdbi, ObjectMapper mapper, long have, long count, String detail) {
        String previous = jdbi.withHandle(h -> h.createQuery("SELECT hash FROM audit_log WHERE id = :id")
                .bind("id", have)
                .mapTo(String.class)
                .findOne()
                .orElse(ChainHash.GENESIS));
        ChainHash chain = new ChainHash();
        long next = have + 1;
        long end = have + count;
        long at = System.currentTimeMillis();
        String[] hash = {previous};
        while (next <= end) {
            long from = next;
            long to = Math.min(end, from + 9_999);
            jdbi.useTransaction(h -> {
                PreparedBatch batch = h.prepareBatch(
                        "INSERT INTO audit_log (id, at, actor, kind, object, detail, hash) "
                                + "VALUES (:id, :at, 'admin', 'admin.change', '/v1/admin/audiences/big', :detail, :hash)");
                for (long id = from; id <= to; id++) {
                    hash[0] = chain.of(hash[0], id, at, "admin", "admin.change", "/v1/admin/audiences/big", detail);
                    batch.bind("id", id)
                            .bind("at", at)
                            .bind("detail", detail)
                            .bind("hash", hash[0])
                            .add();
                }
                batch.execute();
            });
            next = to + 1;
            if ((to - have) % 200_000 < 10_000) {
                System.out.printf("    ... %,d of %,d%n", to - have, count);
            }
        }
    }

    private static java.nio.file.Path createTemp() {
        try {
            return Files.createTempDirectory("tandem-bench-audit-key");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
