package dev.tandem.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.store.Database;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.StoreKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A journey's version taken by many at once (two starts, a start and an approved change): each gets
 * the same version for the same declaration, a changed one is exactly one more, and none fails with
 * the store busy or a version taken twice.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyVersionsTest {
    private static final int CALLERS = 8;

    private final StoreKind kind;

    @TempDir
    Path dir;

    JourneyVersionsTest(StoreKind kind) {
        this.kind = kind;
    }

    private Set<Integer> together(JourneyStore store, String declaration) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Set<Integer> got = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    got.add(store.version("welcome", declaration, 1, 1_000L));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(); // a busy store or a duplicate version would throw here
            }
        } finally {
            pool.shutdownNow();
        }
        return got;
    }

    @Test
    void manyTakingAVersionAtOnceGetTheSameOne() throws Exception {
        try (Database db = kind == StoreKind.SQLITE
                ? Database.sqlite(dir, "FULL")
                : Database.postgres(Postgres.freshDatabaseUrl())) {
            JourneyStore store = new JourneyStore(db);
            for (int round = 1; round <= 5; round++) {
                assertThat(together(store, "{\"round\": " + round + "}")).containsExactly(round);
            }
            assertThat(store.version("welcome", "{\"round\": 5}", 1, 2_000L)).isEqualTo(5);
            assertThat(store.declarations("welcome")).hasSize(5);
            // a declared version above the latest is taken as it is
            assertThat(store.version("welcome", "{\"round\": 6}", 9, 3_000L)).isEqualTo(9);
        }
    }
}
