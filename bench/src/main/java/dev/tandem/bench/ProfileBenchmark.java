package dev.tandem.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.InboxFixture;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.Source;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.collect.Sources;
import dev.tandem.config.Json;
import dev.tandem.identity.Resolver;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.process.Processor;
import dev.tandem.profile.ProfileStore;
import dev.tandem.profile.ProfileUpdater;
import dev.tandem.protect.Classification;
import dev.tandem.protect.Classifier;
import dev.tandem.protect.KeyStore;
import dev.tandem.protect.Tokenizer;
import dev.tandem.protect.TraitSealer;
import dev.tandem.server.Workspace;
import dev.tandem.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./tandem bench profiles}: the processor's throughput from inbox to committed profile with
 * a million profiles in the store and protection on, against a baseline in the same run (reading and
 * parsing the same inbox pages with no stages), then the Profile API's latency by any identifier at a fixed
 * request rate, against {@code /health} at the same rate. {@code --database-url URL} measures an empty
 * PostgreSQL database instead of SQLite ({@code ./tandem bench profiles --postgres} starts a throwaway
 * one, as the tests do).
 */
public final class ProfileBenchmark {
    static final String WORKSPACE = """
            profiles:
              computedTraits:
                - name: orders_30d
                  aggregate: count
                  event: Order Completed
                  window: 30d
                - name: revenue
                  aggregate: sum
                  property: properties.revenue
                - name: favourite_category
                  aggregate: most_frequent
                  property: properties.category
            """;

    private ProfileBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new HashMap<>(Map.of(
                "profiles", "1000000",
                "events", "500000",
                "rate", "1000",
                "seconds", "20",
                "batch", "2000",
                "cache", "500000",
                "protection", "on",
                "traffic", "mixed",
                "api", "on"));
        defaults.put("database-url", null);
        Map<String, String> o = Options.parse(args, defaults);
        String databaseUrl = o.get("database-url");
        int profiles = Integer.parseInt(o.get("profiles"));
        int events = Integer.parseInt(o.get("events"));
        int batch = Integer.parseInt(o.get("batch"));
        int cache = Integer.parseInt(o.get("cache"));
        boolean protection = switch (o.get("protection")) {
            case "on" -> true;
            case "off" -> false;
            default ->
                throw new IllegalArgumentException(
                        "--protection is 'on' (identifiers tokenized, personal traits encrypted per profile, as the server runs) or 'off'");
        };
        boolean mixed = switch (o.get("traffic")) {
            case "mixed" -> true;
            case "known" -> false;
            default ->
                throw new IllegalArgumentException(
                        "--traffic is 'mixed' (half new customers, half orders and page views of known ones) "
                                + "or 'known' (orders, page views, store purchases and trait updates of known customers)");
        };
        Path dir = Files.createTempDirectory("tandem-bench-profiles-");
        Path yaml = dir.resolve("tandem.yaml");
        Files.writeString(yaml, WORKSPACE);
        Workspace workspace = Workspace.load(yaml);
        ObjectMapper mapper = Json.mapper();
        System.out.printf(
                "Profile benchmark: %,d profiles, then %,d events of %s traffic; batch %,d, cache %,d profiles; protection %s; %s, data %s%n",
                profiles,
                events,
                o.get("traffic"),
                batch,
                cache,
                o.get("protection"),
                databaseUrl == null ? "SQLite" : "PostgreSQL",
                dir);

        // the server's own key store for this data directory, so that the Profile API below finds
        // the identifiers the processor tokenized
        Path keyStore = LookupLoad.config(dir, databaseUrl).keyStore();
        try (Database db = open(dir, databaseUrl);
                KeyStore keys = KeyStore.open(keyStore)) {
            Tokenizer tokens = protection ? keys.tokenizer() : Tokenizer.CLEAR;
            TraitSealer sealer =
                    protection ? new TraitSealer(keys, new Classifier(Classification.defaults())) : TraitSealer.NONE;
            Sources sources = new Sources(db.jdbi(), Clock.systemUTC());
            Source source = sources.create(new SourceDeclaration("bench", null));
            long t0 = System.nanoTime();
            InboxFixture.append(db, source.id(), ProfileWorkload.newProfiles(profiles), 20_000);
            System.out.printf(
                    "  inbox filled with %,d identifies in %.1f s%n", profiles, (System.nanoTime() - t0) / 1e9);

            var meters = new SimpleMeterRegistry();
            Processor processor = processor(db, workspace, mapper, batch, cache, source, tokens, sealer, meters);
            double build = Drain.run(processor, profiles, "building profiles", meters);
            InboxFixture.append(
                    db,
                    source.id(),
                    mixed
                            ? ProfileWorkload.mixed(profiles, profiles, events, 7)
                            : ProfileWorkload.traffic(profiles, events, 7),
                    20_000);
            double baseline = readAndParse(
                    new InboxReader(db.inbox().jdbi(), dev.tandem.collect.EventSealing.NONE),
                    mapper,
                    processor.status().cursor(),
                    batch);
            double traffic =
                    Drain.run(processor, events, "traffic on " + String.format("%,d", profiles) + " profiles", meters);
            System.out.println();
            System.out.printf("%-48s %12s %10s%n", "run", "events/s", "of base");
            System.out.printf("%-48s %,12.0f %10s%n", "baseline: read + parse inbox pages, no stages", baseline, "");
            System.out.printf(
                    "%-48s %,12.0f %9.0f%%%n", "build: 1 identify = 1 new profile", build, 100 * build / baseline);
            System.out.printf(
                    "%-48s %,12.0f %9.0f%%%n",
                    "traffic with " + String.format("%,d", profiles) + " profiles stored",
                    traffic,
                    100 * traffic / baseline);
            System.out.printf(
                    "target: >= 50,000 events/s from inbox to committed profile: %s%n",
                    traffic >= 50_000 ? "met" : "NOT met");
        }
        if (o.get("api").equals("off")) {
            // the processor alone: for profiling it, and for alternated runs that compare builds
            return;
        }
        LookupLoad.run(
                dir, databaseUrl, yaml, profiles, Integer.parseInt(o.get("rate")), Integer.parseInt(o.get("seconds")));
        try (Database db = open(dir, databaseUrl)) {
            double floor = StorageFloor.run(db, profiles, events, batch);
            System.out.printf(
                    "%nStorage floor on the same store: only the two writes every traffic event needs (its profile document%n"
                            + "rewritten at a random profile, one event_owners row), in the processor's transactions: %,.0f events/s%n",
                    floor);
        }
    }

    /** The store the server would open for this data directory: SQLite in it, or the PostgreSQL database given. */
    private static Database open(Path dir, String databaseUrl) {
        return databaseUrl == null ? Database.sqlite(dir, "FULL") : Database.postgres(databaseUrl);
    }

    private static Processor processor(
            Database db,
            Workspace workspace,
            ObjectMapper mapper,
            int batch,
            int cache,
            Source source,
            Tokenizer tokens,
            TraitSealer sealer,
            SimpleMeterRegistry meters) {
        Pipeline pipeline = new Pipeline()
                .add(new Resolver(db.jdbi(), workspace.identity(), tokens, 3L * cache, meters))
                .add(new ProfileUpdater(
                        new ProfileStore(db.jdbi(), mapper, sealer),
                        workspace.profiles(),
                        id -> source.name(),
                        cache,
                        Clock.systemUTC()));
        return new Processor(
                db,
                new InboxReader(db.inbox().jdbi(), dev.tandem.collect.EventSealing.NONE),
                mapper,
                pipeline,
                Processor.BetweenBatches.NONE,
                batch,
                Clock.systemUTC(),
                meters);
    }

    /** The baseline: what the processor does before any stage, reading the same inbox pages and parsing each event. */
    private static double readAndParse(InboxReader inbox, ObjectMapper mapper, long after, int batch) throws Exception {
        long start = System.nanoTime();
        long n = 0;
        for (var page = inbox.events(null, after, batch); !page.isEmpty(); page = inbox.events(null, after, batch)) {
            for (var e : page) {
                mapper.readTree(e.payload());
            }
            n += page.size();
            after = page.get(page.size() - 1).seq();
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}
