package dev.tandem.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.audience.AudienceDefinition;
import dev.tandem.audience.AudienceStage;
import dev.tandem.audience.Audiences;
import dev.tandem.audience.Background;
import dev.tandem.collect.InboxFixture;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.Source;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.collect.Sources;
import dev.tandem.config.Json;
import dev.tandem.expr.Expressions;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.identity.Resolver;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.process.Processor;
import dev.tandem.profile.ProfileReader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tandem bench audiences}: with a million profiles stored, the pipeline's throughput on
 * the same kind of traffic with no audiences, with 200, and with none again (the two runs without
 * bracket the noise); and the background computation of one new audience, then of 199 more in one
 * pass, over all profiles. The 200 conditions mix traits, computed traits, channels, counts and
 * times, and most of them read something every Order Completed changes.
 */
public final class AudienceBenchmark {
    private AudienceBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(
                args,
                Map.of(
                        "profiles",
                        "1000000",
                        "events",
                        "300000",
                        "audiences",
                        "200",
                        "batch",
                        "2000",
                        "cache",
                        "500000",
                        "protection",
                        "on"));
        boolean protect = o.get("protection").equals("on");
        int profiles = Integer.parseInt(o.get("profiles"));
        int events = Integer.parseInt(o.get("events"));
        int count = Integer.parseInt(o.get("audiences"));
        int batch = Integer.parseInt(o.get("batch"));
        int cache = Integer.parseInt(o.get("cache"));
        Path dir = Files.createTempDirectory("tandem-bench-audiences-");
        Path yaml = dir.resolve("tandem.yaml");
        Files.writeString(yaml, ProfileBenchmark.WORKSPACE);
        Workspace workspace = Workspace.load(yaml);
        ObjectMapper mapper = Json.mapper();
        Clock clock = Clock.systemUTC();
        System.out.printf(
                "Audience benchmark: %,d profiles, %,d events of traffic per run, %d audiences, protection %s; store %s%n",
                profiles, events, count, protect ? "on (tokens, encrypted personal traits)" : "off", dir);
        try (Database db = Database.sqlite(dir, "FULL");
                KeyStore keys = KeyStore.open(dir.resolve("keys"))) {
            Tokenizer tokens = protect ? keys.tokenizer() : Tokenizer.CLEAR;
            TraitSealer sealer =
                    protect ? new TraitSealer(keys, new Classifier(Classification.defaults())) : TraitSealer.NONE;
            Source source = new Sources(db.jdbi(), clock).create(new SourceDeclaration("bench", null));
            InboxFixture.append(db, source.id(), ProfileWorkload.newProfiles(profiles), 20_000);
            var meters = new SimpleMeterRegistry();
            Expressions expressions = new Expressions();
            Audiences audiences = new Audiences(db.jdbi(), mapper, expressions, clock);
            ProfileStore store = new ProfileStore(db.jdbi(), mapper, sealer);
            ProfileReader reader = new ProfileReader(store, workspace.profiles(), id -> source.name(), clock);
            Resolver resolver = new Resolver(db.jdbi(), workspace.identity(), tokens, 3L * cache, meters);
            ProfileUpdater updater = new ProfileUpdater(store, workspace.profiles(), id -> source.name(), cache, clock);
            AudienceStage stage = new AudienceStage(db.jdbi(), audiences, cache, clock, meters);
            Background background = new Background(
                    db.jdbi(), audiences, reader, new IdentityLookup(db.jdbi(), workspace.identity(), tokens), clock);
            // as the server composes it: the pipeline decrypts the personal traits the audience stage reads
            Pipeline pipeline = new Pipeline().add(resolver).add(updater).add(stage);
            Processor processor = new Processor(
                    db,
                    new InboxReader(db.inbox().jdbi(), dev.tandem.collect.EventSealing.NONE),
                    mapper,
                    pipeline,
                    () -> background.step(stage),
                    batch,
                    clock,
                    meters);
            Drain.run(processor, profiles, "building profiles");

            double none = traffic(db, source, processor, profiles, events, 7, "traffic, no audiences");
            List<String> conditions = conditions(count);
            audiences.create(new AudienceDefinition("aud_0", "Audience 0", null, List.of("bench"), conditions.get(0)));
            double one = compute(processor, audiences, "background computation of 1 audience");
            for (int i = 1; i < count; i++) {
                audiences.create(
                        new AudienceDefinition("aud_" + i, "Audience " + i, null, List.of("bench"), conditions.get(i)));
            }
            double many = compute(
                    processor, audiences, "background computation of " + (count - 1) + " audiences in one pass");
            double with = traffic(db, source, processor, profiles, events, 8, "traffic, " + count + " audiences");
            for (int i = 0; i < count; i++) {
                audiences.delete("aud_" + i);
            }
            processor.background();
            double again = traffic(db, source, processor, profiles, events, 9, "traffic, no audiences again");

            System.out.println();
            System.out.printf("%-58s %12s%n", "run", "result");
            System.out.printf("%-58s %,9.0f ev/s%n", "pipeline, no audiences", none);
            System.out.printf(
                    "%-58s %,9.0f ev/s  (%.0f%% of the mean without)%n",
                    "pipeline, " + count + " audiences", with, 200 * with / (none + again));
            System.out.printf("%-58s %,9.0f ev/s%n", "pipeline, no audiences again", again);
            System.out.printf(
                    "%-58s %9.1f s%n",
                    "background computation, 1 audience, " + String.format("%,d", profiles) + " profiles", one);
            System.out.printf(
                    "%-58s %9.1f s%n", "background computation, " + (count - 1) + " audiences, one pass", many);
            System.out.printf(
                    "target: %d audiences keep >= 70%% of the throughput without: %s%n",
                    count, 2 * with / (none + again) >= 0.70 ? "met" : "NOT met");
            System.out.printf(
                    "target: one audience over %,d profiles in under 10 s: %s%n",
                    profiles, one < 10 ? "met" : "NOT met");
        }
    }

    private static double traffic(
            Database db, Source source, Processor processor, int profiles, int events, long seed, String what)
            throws Exception {
        InboxFixture.append(db, source.id(), ProfileWorkload.traffic(profiles, events, seed), 20_000);
        long before = audienceEvents(db);
        double rate = Drain.run(processor, events, what);
        System.out.printf(
                "  %s: %.2f audience entries and exits per event%n",
                what, (audienceEvents(db) - before) / (double) events);
        return rate;
    }

    private static long audienceEvents(Database db) {
        return db.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audience_events")
                        .mapTo(Long.class)
                        .one());
    }

    /** Runs background slices until no audience is computing; seconds taken. */
    private static double compute(Processor processor, Audiences audiences, String what) {
        long start = System.nanoTime();
        long shown = start;
        while (processor.background()) {
            long now = System.nanoTime();
            if (now - shown > 2_000_000_000L) {
                System.out.printf("  %s: %.0f s%n", what, (now - start) / 1e9);
                shown = now;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long members =
                audiences.list().stream().mapToLong(a -> a.state().size()).sum();
        System.out.printf("  %s: done in %.1f s (%,d memberships in all)%n", what, seconds, members);
        return seconds;
    }

    /**
     * 200 different conditions of eight shapes over what the workload's events set, with thresholds
     * spread so that audiences range from a few profiles to a large share: orders move spend,
     * order counts, favourite category and counts (so most audiences are re-evaluated on most
     * events), page views move channels and counts, identifies move the plan.
     */
    static List<String> conditions(int count) {
        List<String> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = i / 8;
            all.add(
                    switch (i % 8) {
                        case 0 -> "computed.revenue >= " + (150 + n * 40);
                        case 1 -> "computed.orders_30d >= " + (2 + n % 6) + " && computed.revenue > " + (n * 20);
                        case 2 ->
                            "traits.plan == \"" + (n % 2 == 0 ? "gold" : "silver") + "\" && computed.revenue > "
                                    + (n * 25);
                        case 3 ->
                            "computed.favourite_category == \"c" + (n % 8) + "\" && computed.orders_30d >= "
                                    + (1 + n / 8);
                        case 4 -> "\"web\" in channels && event_count > " + (2 + n);
                        case 5 -> "has(traits.name) && traits.name.startsWith(\"Customer " + (10 + n) + "\")";
                        case 6 ->
                            "last_seen > timestamp(\"2026-10-" + (14 + n % 14)
                                    + "T00:00:00Z\") && computed.orders_30d >= " + (1 + n % 3);
                        default -> "traits.plan in [\"silver\", \"gold\"] && event_count >= " + (3 + n);
                    });
        }
        if (new java.util.HashSet<>(all).size() != all.size()) {
            throw new IllegalStateException("the benchmark's conditions must all differ");
        }
        return all;
    }
}
