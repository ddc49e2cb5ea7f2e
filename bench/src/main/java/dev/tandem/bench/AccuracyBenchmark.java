package dev.tandem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.Source;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.collect.StoredEvent;
import dev.tandem.config.Json;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import dev.tandem.simulate.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tandem bench accuracy}: the simulator sends its customers' events to a fresh server;
 * once processed, every identifier the truth file gives a person, and that some event carried, is
 * looked up. Pairwise: two identifiers of one person in one profile are a true pair; of two people
 * in one profile, a false one; of one person in two profiles, a missed one. Identifiers the truth
 * lists as shared (family tablets) belong to no single person and are left out.
 */
public final class AccuracyBenchmark {
    private AccuracyBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o =
                Options.parse(args, Map.of("customers", "5000", "days", "14", "seed", "42", "config", ""));
        int customers = Integer.parseInt(o.get("customers"));
        Path dir = Files.createTempDirectory("tandem-bench-accuracy-");
        Workspace workspace = o.get("config").isEmpty() ? Workspace.empty() : Workspace.load(Path.of(o.get("config")));
        ServerConfig config = ServerConfig.resolve(
                Map.of("port", "0", "data", dir.toString(), "adminToken", "bench-admin-token-0123456789"),
                Map.of(),
                Map.of());
        ObjectMapper mapper = Json.mapper();
        Path truth = dir.resolve("truth.jsonl");
        try (Tandem tandem = Tandem.start(config, workspace, Clock.systemUTC())) {
            Source source = tandem.sources().create(new SourceDeclaration("simulator", null));
            new Simulation(
                            customers,
                            Integer.parseInt(o.get("days")),
                            0,
                            "http://localhost:" + tandem.port(),
                            source.writeKey(),
                            truth,
                            Long.parseLong(o.get("seed")))
                    .run(mapper, Clock.systemUTC(), System.out);
            while (tandem.processor().statusNow().lagEvents() > 0) {
                Thread.sleep(50);
            }
            Map<String, List<String>> byMessage = identifiersByMessage(tandem.inbox(), mapper);
            Set<String> observed = new HashSet<>();
            byMessage.values().forEach(observed::addAll);
            IdentityLookup lookup =
                    new IdentityLookup(tandem.database().jdbi(), workspace.identity(), tandem.tokenizer());
            Pairs pairs = new Pairs();
            for (String line : Files.readAllLines(truth)) {
                JsonNode person = mapper.readTree(line);
                String name = person.path("person").asText();
                Set<String> own = new HashSet<>();
                for (var e : person.path("identifiers").properties()) {
                    for (JsonNode value : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
                        String id = e.getKey() + ":" + value.asText();
                        if (!value.isNull() && observed.contains(id)) {
                            own.add(id);
                        }
                    }
                }
                Evidence evidence = new Evidence(own);
                person.path("messageIds")
                        .forEach(m -> evidence.together(byMessage.getOrDefault(m.asText(), List.of())));
                for (String id : own) {
                    long profile = lookup.profileOf(Identifier.parse(id)).orElse(-pairs.size() - 1L);
                    pairs.add(name, evidence.component(id), profile);
                }
            }
            pairs.report(customers, lookup.profileCount());
        }
    }

    /** The identifiers of each stored event by messageId, normalised by this benchmark's own simple rules (not the server's). */
    private static Map<String, List<String>> identifiersByMessage(InboxReader inbox, ObjectMapper mapper)
            throws Exception {
        Map<String, List<String>> byMessage = new HashMap<>();
        long after = 0;
        for (List<StoredEvent> page = inbox.events(null, 0, 5000);
                !page.isEmpty();
                page = inbox.events(null, after, 5000)) {
            for (StoredEvent stored : page) {
                JsonNode e = mapper.readTree(stored.payload());
                List<String> ids = new java.util.ArrayList<>(4);
                byMessage.put(e.path("messageId").asText(), ids);
                add(ids, "user_id", e.path("userId").asText(null));
                add(ids, "anonymous_id", e.path("anonymousId").asText(null));
                add(ids, "device_id", e.at("/context/device/id").asText(null));
                add(ids, "advertising_id", e.at("/context/device/advertisingId").asText(null));
                for (String at : List.of("/traits", "/context/traits")) {
                    String email = e.at(at + "/email").asText(null);
                    add(ids, "email", email == null ? null : email.trim().toLowerCase(Locale.ROOT));
                    String phone = e.at(at + "/phone").asText(null);
                    String digits = phone == null ? null : phone.replaceAll("\\D", "");
                    add(ids, "phone", digits == null ? null : digits.length() == 10 ? "+1" + digits : "+" + digits);
                }
            }
            after = page.get(page.size() - 1).seq();
        }
        return byMessage;
    }

    private static void add(List<String> ids, String type, String value) {
        if (value != null && !value.isEmpty()) {
            ids.add(type + ":" + value);
        }
    }

    /**
     * Which of one person's identifiers the events tie together (they appear in one event, directly
     * or through others): the most any resolver could join. Identifiers never seen together with the
     * rest, such as a browser the person never logged in on, form their own component.
     */
    private static final class Evidence {
        private final Map<String, String> parent = new HashMap<>();

        Evidence(Set<String> own) {
            own.forEach(id -> parent.put(id, id));
        }

        void together(List<String> ids) {
            String first = null;
            for (String id : ids) {
                if (parent.containsKey(id)) {
                    if (first == null) {
                        first = id;
                    } else {
                        parent.put(component(id), component(first));
                    }
                }
            }
        }

        String component(String id) {
            String root = id;
            while (!parent.get(root).equals(root)) {
                root = parent.get(root);
            }
            parent.put(id, root);
            return root;
        }
    }

    /** Counts of identifiers per (person, profile) and per (person, evidence component, profile), from which the pairwise figures follow. */
    private static final class Pairs {
        private final Map<String, Map<Long, Long>> byPerson = new HashMap<>();
        private final Map<String, Map<Long, Long>> byComponent = new HashMap<>();
        private final Map<Long, Map<String, Long>> byProfile = new HashMap<>();
        private int identifiers;

        void add(String person, String component, long profile) {
            byPerson.computeIfAbsent(person, k -> new HashMap<>()).merge(profile, 1L, Long::sum);
            byComponent
                    .computeIfAbsent(person + " " + component, k -> new HashMap<>())
                    .merge(profile, 1L, Long::sum);
            byProfile.computeIfAbsent(profile, k -> new HashMap<>()).merge(person, 1L, Long::sum);
            identifiers++;
        }

        int size() {
            return identifiers;
        }

        /** Pairs among all the identifiers counted in {@code groups}. */
        static long allPairs(Map<?, Long> groups) {
            long n = groups.values().stream().mapToLong(Long::longValue).sum();
            return n * (n - 1) / 2;
        }

        /** Pairs of identifiers that fall in the same group. */
        static long pairsWithin(Map<?, Long> groups) {
            return groups.values().stream().mapToLong(k -> k * (k - 1) / 2).sum();
        }

        void report(int customers, long profiles) {
            long predicted =
                    byProfile.values().stream().mapToLong(Pairs::allPairs).sum();
            long truePairs =
                    byProfile.values().stream().mapToLong(Pairs::pairsWithin).sum();
            long mixed = byProfile.values().stream()
                    .filter(persons -> persons.size() > 1)
                    .count();
            long actual = byPerson.values().stream().mapToLong(Pairs::allPairs).sum();
            long split = byPerson.values().stream()
                    .filter(profilesOf -> profilesOf.size() > 1)
                    .count();
            long joinable =
                    byComponent.values().stream().mapToLong(Pairs::allPairs).sum();
            long joined =
                    byComponent.values().stream().mapToLong(Pairs::pairsWithin).sum();
            double precision = predicted == 0 ? 1 : (double) truePairs / predicted;
            double recall = joinable == 0 ? 1 : (double) joined / joinable;
            double personRecall = actual == 0 ? 1 : (double) truePairs / actual;
            System.out.printf(
                    "%nAccuracy against the truth file: %,d customers, %,d observed identifiers, %,d live profiles in the store%n",
                    customers, identifiers, profiles);
            System.out.printf(
                    "  pairwise precision %.5f (target >= 0.999): %s%n",
                    precision, precision >= 0.999 ? "met" : "NOT met");
            System.out.printf(
                    "  pairwise recall    %.5f (target >= 0.99):  %s   (of the pairs the events tie together)%n",
                    recall, recall >= 0.99 ? "met" : "NOT met");
            System.out.printf(
                    "  recall of all pairs of one person, joinable or not: %.5f (%,d of %,d pairs are never tied by any event)%n",
                    personRecall, actual - joinable, actual);
            System.out.printf(
                    "  customers split over several profiles: %,d; profiles mixing customers: %,d%n", split, mixed);
        }
    }
}
