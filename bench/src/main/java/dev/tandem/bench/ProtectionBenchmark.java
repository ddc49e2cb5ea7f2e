package dev.tandem.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.tandem.protect.FieldCatalog;
import dev.tandem.protect.FieldScreen;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tandem bench protection}: what classification and protection cost, each against the
 * same work without them in the same run. Collection: parsing and re-serialising events (what the
 * collector does to each) with and without the field screen. Processing: two stores with the same
 * profiles and traffic, one with identifiers tokenized and personal traits encrypted per profile
 * (a key store), one without; traffic rounds alternate between them so drift hits both.
 */
public final class ProtectionBenchmark {
    private ProtectionBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(
                args,
                Map.of(
                        "profiles",
                        "200000",
                        "events",
                        "200000",
                        "rounds",
                        "2",
                        "batch",
                        "2000",
                        "cache",
                        "500000",
                        "ids",
                        "random"));
        boolean random = switch (o.get("ids")) {
            case "random" -> true;
            case "sequential" -> false;
            default ->
                throw new IllegalArgumentException(
                        "--ids is 'random' (UUID anonymous ids, emails in no order, as real traffic has) "
                                + "or 'sequential' (anon-1, anon-2...: kind to B-trees of plain values)");
        };
        int profiles = Integer.parseInt(o.get("profiles"));
        int events = Integer.parseInt(o.get("events"));
        int rounds = Integer.parseInt(o.get("rounds"));
        ObjectMapper mapper = Json.mapper();
        Path dir = Files.createTempDirectory("tandem-bench-protection-");
        Path yaml = dir.resolve("tandem.yaml");
        Files.writeString(yaml, ProfileBenchmark.WORKSPACE);
        Workspace workspace = Workspace.load(yaml);
        System.out.printf(
                "Protection benchmark: %,d profiles, %d rounds of %,d traffic events, %s identifiers; stores under %s%n",
                profiles, rounds, events, o.get("ids"), dir);

        collection(mapper, dir, profiles);

        Classifier classifier = new Classifier(Classification.defaults());
        try (Database off = Database.sqlite(dir.resolve("off"), "FULL");
                Database on = Database.sqlite(dir.resolve("on"), "FULL");
                KeyStore keys = KeyStore.open(dir.resolve("on-keys"))) {
            Source offSource = new Sources(off.jdbi(), Clock.systemUTC()).create(new SourceDeclaration("bench", null));
            Source onSource = new Sources(on.jdbi(), Clock.systemUTC()).create(new SourceDeclaration("bench", null));
            Processor plain = processor(off, workspace, mapper, o, Tokenizer.CLEAR, TraitSealer.NONE);
            Processor protectedOne =
                    processor(on, workspace, mapper, o, keys.tokenizer(), new TraitSealer(keys, classifier));
            InboxFixture.append(off, offSource.id(), ids(ProfileWorkload.newProfiles(profiles), random), 20_000);
            InboxFixture.append(on, onSource.id(), ids(ProfileWorkload.newProfiles(profiles), random), 20_000);
            double buildOff = Drain.run(plain, profiles, "build, protection off");
            double buildOn = Drain.run(protectedOne, profiles, "build, protection on");
            List<double[]> traffic = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                InboxFixture.append(
                        off, offSource.id(), ids(ProfileWorkload.traffic(profiles, events, 100 + r), random), 20_000);
                InboxFixture.append(
                        on, onSource.id(), ids(ProfileWorkload.traffic(profiles, events, 100 + r), random), 20_000);
                double a = Drain.run(plain, events, "traffic round " + (r + 1) + ", protection off");
                double b = Drain.run(protectedOne, events, "traffic round " + (r + 1) + ", protection on");
                traffic.add(new double[] {a, b});
            }
            System.out.println();
            System.out.printf(
                    "%-44s %14s %14s %8s%n",
                    "processing (inbox -> committed profile)", "off events/s", "on events/s", "on/off");
            System.out.printf(
                    "%-44s %,14.0f %,14.0f %7.0f%%%n",
                    "build: 1 identify = 1 new profile + key", buildOff, buildOn, 100 * buildOn / buildOff);
            double sumOff = 0;
            double sumOn = 0;
            for (int r = 0; r < traffic.size(); r++) {
                double[] t = traffic.get(r);
                sumOff += t[0];
                sumOn += t[1];
                System.out.printf(
                        "%-44s %,14.0f %,14.0f %7.0f%%%n", "traffic round " + (r + 1), t[0], t[1], 100 * t[1] / t[0]);
            }
            double share = sumOn / sumOff;
            System.out.printf(
                    "target: with protection >= 80%% of the throughput without: %.0f%% over the traffic rounds, %s%n",
                    100 * share, share >= 0.8 ? "met" : "NOT met");
            System.out.printf("keys in the key store: %,d%n", keys.count());
        }
    }

    private static final java.util.regex.Pattern SEQUENTIAL =
            java.util.regex.Pattern.compile("(anon-|pos-)([0-9-]+)|user([0-9]+)@");

    /**
     * Why: the workload's identifiers count up (anon-1, anon-2...), so plain values go into the
     * identity B-tree in order, while tokens (like real anonymous ids, which are UUIDs, and emails)
     * land anywhere. With {@code random} the same identifiers are written as analytics libraries
     * write them: UUID anonymous ids and emails in no order; both stores get the same events.
     */
    private static Iterator<String> ids(Iterator<String> events, boolean random) {
        if (!random) {
            return events;
        }
        return new Iterator<>() {
            public boolean hasNext() {
                return events.hasNext();
            }

            public String next() {
                return SEQUENTIAL
                        .matcher(events.next())
                        .replaceAll(m -> m.group(3) != null
                                ? Long.toHexString(mix(Long.parseLong(m.group(3)))) + "@"
                                : java.util
                                        .UUID
                                        .nameUUIDFromBytes(m.group().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                        .toString());
            }
        };
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    /** The collector's per-event work (parse, re-serialise) with and without the screen, over the same events, alternating. */
    private static void collection(ObjectMapper mapper, Path dir, int profiles) throws Exception {
        List<String> events = new ArrayList<>();
        for (Iterator<String> it = ProfileWorkload.newProfiles(Math.min(profiles, 50_000)); it.hasNext(); ) {
            events.add(it.next());
        }
        for (Iterator<String> it = ProfileWorkload.traffic(Math.min(profiles, 50_000), 150_000, 3); it.hasNext(); ) {
            events.add(it.next());
        }
        try (Database db = Database.sqlite(dir.resolve("catalog"), "NORMAL")) {
            Classifier classifier = new Classifier(Classification.defaults());
            try (FieldCatalog catalog = new FieldCatalog(db.jdbi(), classifier, Clock.systemUTC())) {
                FieldScreen screen = new FieldScreen(classifier, catalog, e -> false, null);
                double[] plain = new double[3];
                double[] screened = new double[3];
                for (int r = 0; r < 3; r++) {
                    plain[r] = pass(mapper, events, null);
                    screened[r] = pass(mapper, events, screen);
                }
                System.out.printf(
                        "%ncollection, per event: parse + re-serialise %s, with the field screen %s%n",
                        rates(plain), rates(screened));
                System.out.printf(
                        "  screen keeps %.0f%% of the collector's per-event throughput (best rounds)%n%n",
                        100 * max(screened) / max(plain));
            }
        }
    }

    private static double pass(ObjectMapper mapper, List<String> events, FieldScreen screen) throws Exception {
        long start = System.nanoTime();
        long bytes = 0;
        for (String json : events) {
            ObjectNode event = (ObjectNode) mapper.readTree(json);
            if (screen != null) {
                screen.keep("bench", event);
            }
            bytes += mapper.writeValueAsString(event).length();
        }
        if (bytes == 0) {
            throw new IllegalStateException("nothing serialised");
        }
        return events.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static String rates(double[] r) {
        StringBuilder b = new StringBuilder();
        for (double v : r) {
            b.append(b.isEmpty() ? "" : " / ").append(String.format("%,.0f", v));
        }
        return b + " events/s";
    }

    private static double max(double[] r) {
        double m = 0;
        for (double v : r) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static Processor processor(
            Database db,
            Workspace workspace,
            ObjectMapper mapper,
            Map<String, String> o,
            Tokenizer tokens,
            TraitSealer sealer) {
        var meters = new SimpleMeterRegistry();
        int cache = Integer.parseInt(o.get("cache"));
        ProfileUpdater profiles = new ProfileUpdater(
                new ProfileStore(db.jdbi(), mapper, sealer),
                workspace.profiles(),
                id -> "bench",
                cache,
                Clock.systemUTC());
        // as the server with no audience reading a personal trait: no later stage declares a read, so none is decrypted
        Pipeline pipeline = new Pipeline()
                .add(new Resolver(db.jdbi(), workspace.identity(), tokens, 3L * cache, meters))
                .add(profiles);
        return new Processor(
                db,
                new InboxReader(db.inbox().jdbi(), dev.tandem.collect.EventSealing.NONE),
                mapper,
                pipeline,
                Processor.BetweenBatches.NONE,
                Integer.parseInt(o.get("batch")),
                Clock.systemUTC(),
                meters);
    }
}
