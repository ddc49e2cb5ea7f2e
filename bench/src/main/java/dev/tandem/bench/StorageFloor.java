package dev.tandem.bench;

import dev.tandem.store.Batches;
import dev.tandem.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The least storage work a traffic event costs, with no Java logic around it: its profile's
 * document rewritten (a typical 400-byte document at a random profile of the store) and one
 * {@code event_owners} row (by seq, so at the table's right edge), in batches committed like the processor's. Whatever the stages do,
 * the processor cannot go faster than this on the same store and machine.
 */
final class StorageFloor {
    private static final String DOC =
            "{\"traits\":{\"email\":{\"v\":\"user1@example.com\",\"t\":1759276800000,\"s\":\"src\"},"
                    + "\"name\":{\"v\":\"Customer 1\",\"t\":1759276800000,\"s\":\"src\"},\"plan\":{\"v\":\"gold\",\"t\":1759276800000,\"s\":\"src\"}},"
                    + "\"channels\":[\"server\",\"web\"],\"sources\":[\"src\"],\"computed\":{\"orders_30d\":{\"b\":{\"20362\":{\"n\":2}}},"
                    + "\"revenue\":{\"sum\":210.0},\"favourite_category\":{\"c\":{\"c3\":2}}},\"firstSeen\":1759276800000,"
                    + "\"lastSeen\":1760276800000,\"events\":4}";

    private StorageFloor() {}

    static double run(Database db, int profiles, int events, int batch) {
        SplittableRandom random = new SplittableRandom(3);
        long seqBase = 1_000_000_000_000L;
        long start = System.nanoTime();
        for (int from = 0; from < events; from += batch) {
            List<long[]> rows = new ArrayList<>(batch);
            for (int i = from; i < Math.min(events, from + batch); i++) {
                rows.add(new long[] {1 + random.nextInt(profiles), seqBase + i});
            }
            db.inDerivedTransaction(h -> {
                Batches.run(
                        h,
                        "INSERT INTO profile_docs (profile_id, doc) VALUES (?, ?) ON CONFLICT (profile_id) DO UPDATE SET doc = excluded.doc",
                        rows,
                        (st, r) -> {
                            st.setLong(1, r[0]);
                            st.setString(2, DOC);
                        });
                Batches.run(h, "INSERT INTO event_owners (seq, profile_id) VALUES (?, ?)", rows, (st, r) -> {
                    st.setLong(1, r[1]);
                    st.setLong(2, r[0]);
                });
            });
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }
}
