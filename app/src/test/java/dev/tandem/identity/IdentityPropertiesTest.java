package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.testing.ProfileSnapshot;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * Properties of identity resolution over random event streams drawn from a small world of
 * users, browsers, devices, emails and phones (with format variants and placeholders), each run
 * on a real server: limits hold, blocked values never join, replay equals live, and a stream cut
 * by restarts at random points equals an uninterrupted run.
 */
class IdentityPropertiesTest {
    private static final String RULES = """
            identity:
              limits:
                device_id: 2
                email: 1
                anonymous_id: {max: 3, window: 1h}
            """;
    private static final Map<String, Integer> EVER =
            Map.of("user_id", 1, "device_id", 2, "email", 1, "phone", 5, "advertising_id", 5);
    private static final List<String> WORLD = List.of(
            "user_id:u1",
            "user_id:u2",
            "user_id:u3",
            "anonymous_id:a1",
            "anonymous_id:a2",
            "anonymous_id:a3",
            "anonymous_id:a4",
            "anonymous_id:a5",
            "device_id:d1",
            "device_id:d2",
            "email:e1@x.com",
            "email:e2@x.com",
            "phone:+14155552671",
            "phone:+14155552672");
    private static final List<String> BLOCKED =
            List.of("email:test@test.com", "phone:000-000-0000", "user_id:null", "user_id:undefined");
    private static final Instant START = Instant.parse("2026-10-01T08:00:00Z");

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    private final List<Path> dirs = new ArrayList<>();

    record Event(
            String type, String userId, String anonymousId, String deviceId, String email, String phone, String plan) {}

    @Provide
    Arbitrary<List<Event>> streams() {
        Arbitrary<String> type = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just("track")),
                net.jqwik.api.Tuple.of(3, Arbitraries.just("identify")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("alias")));
        Arbitrary<String> user = Arbitraries.of("", "", "", "u1", "u2", "u3", "null", "undefined");
        Arbitrary<String> anonymous = Arbitraries.of("a1", "a2", "a3", "a4", "a5");
        Arbitrary<String> device = Arbitraries.of("", "", "d1", "d2");
        Arbitrary<String> email = Arbitraries.of("", "", "e1@x.com", " E1@X.com", "e2@x.com", "test@test.com");
        Arbitrary<String> phone = Arbitraries.of("", "", "", "415-555-2671", "+1 (415) 555-2672", "000-000-0000");
        Arbitrary<String> plan = Arbitraries.of("", "gold", "silver");
        return Combinators.combine(type, user, anonymous, device, email, phone, plan)
                .as(Event::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(40);
    }

    @Property(tries = 12)
    void noProfileEverBreaksALimit(@ForAll("streams") List<Event> events) {
        try (TestServer server = run(events, "2000")) {
            for (String id : WORLD) {
                var r = server.profile(id, "external_ids");
                if (r.status() != 200) {
                    continue;
                }
                Map<String, List<Long>> firstSeen = new HashMap<>();
                r.json()
                        .path("data")
                        .forEach(i -> firstSeen
                                .computeIfAbsent(i.path("type").asText(), k -> new ArrayList<>())
                                .add(Instant.parse(i.path("created_at").asText())
                                        .toEpochMilli()));
                firstSeen.forEach((type, times) -> {
                    if (EVER.containsKey(type)) {
                        assertThat(times.size())
                                .as(type + " on the profile of " + id)
                                .isLessThanOrEqualTo(EVER.get(type));
                    }
                });
                List<Long> anonymous = firstSeen.getOrDefault("anonymous_id", List.of());
                for (long t : anonymous) {
                    long inWindow = anonymous.stream()
                            .filter(x -> x > t - Duration.ofHours(1).toMillis() && x <= t)
                            .count();
                    assertThat(inWindow)
                            .as("anonymous ids first seen within an hour on the profile of " + id)
                            .isLessThanOrEqualTo(3);
                }
            }
        }
    }

    @Property(tries = 12)
    void blockedValuesNeverJoin(@ForAll("streams") List<Event> events) {
        List<Event> stripped = events.stream()
                .map(e -> new Event(
                        e.type(),
                        blockedUser(e.userId()) ? "" : e.userId(),
                        e.anonymousId(),
                        e.deviceId(),
                        e.email().equals("test@test.com") ? "" : e.email(),
                        e.phone().equals("000-000-0000") ? "" : e.phone(),
                        e.plan()))
                .toList();
        List<String> with;
        try (TestServer server = run(events, "2000")) {
            with = ProfileSnapshot.partition(server, WORLD);
            for (String id : BLOCKED) {
                assertThat(server.profile(id, "traits").status()).as(id).isEqualTo(404);
            }
        }
        try (TestServer server = run(stripped, "2000")) {
            assertThat(with).isEqualTo(ProfileSnapshot.partition(server, WORLD));
        }
    }

    @Property(tries = 12)
    void replayEqualsLiveProcessing(@ForAll("streams") List<Event> events) {
        try (TestServer server = run(events, "7")) {
            List<String> live = ProfileSnapshot.of(server, WORLD);
            assertThat(server.http()
                            .post("/v1/admin/replay", "", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                            .status())
                    .isEqualTo(202);
            server.awaitReplayed();
            assertThat(ProfileSnapshot.of(server, WORLD)).isEqualTo(live);
        }
    }

    @Property(tries = 12)
    void resumingAfterAStopEqualsAnUninterruptedRun(
            @ForAll("streams") List<Event> events,
            @ForAll("cuts") List<Integer> cuts,
            @ForAll("batchSizes") int batchSize) {
        List<String> uninterrupted;
        try (TestServer server = run(events, "2000")) {
            uninterrupted = ProfileSnapshot.of(server, WORLD);
        }
        try (TestServer server = TestServer.withWorkspace(
                StoreKind.SQLITE, dir(), RULES + "server:\n  processBatchSize: " + batchSize + "\n")) {
            List<Integer> points = Stream.concat(cuts.stream().map(c -> c % events.size()), Stream.of(events.size()))
                    .distinct()
                    .sorted()
                    .toList();
            int from = 0;
            for (int to : points) {
                send(server, events, from, to);
                from = to;
                server.restart();
            }
            server.awaitProcessed();
            assertThat(ProfileSnapshot.of(server, WORLD)).isEqualTo(uninterrupted);
        }
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 1000).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Integer> batchSizes() {
        return Arbitraries.integers().between(1, 5);
    }

    private TestServer run(List<Event> events, String batchSize) {
        TestServer server = TestServer.withWorkspace(
                StoreKind.SQLITE, dir(), RULES + "server:\n  processBatchSize: " + batchSize + "\n");
        send(server, events, 0, events.size());
        server.awaitProcessed();
        return server;
    }

    private static void send(TestServer server, List<Event> events, int from, int to) {
        if (from >= to) {
            return;
        }
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = from; i < to; i++) {
            batch.append(i == from ? "" : ",").append(json(events.get(i), i));
        }
        var response = server.track("/v1/batch", batch.append("]}").toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("rejected")).as(response.body()).isEmpty();
    }

    private static String json(Event e, int i) {
        ObjectNode event = JSON.objectNode()
                .put("messageId", "m" + i)
                .put("timestamp", START.plus(Duration.ofMinutes(7L * i)).toString());
        ObjectNode traits = JSON.objectNode();
        put(traits, "email", e.email());
        put(traits, "phone", e.phone());
        put(traits, "plan", e.plan());
        if (e.type().equals("alias")) {
            // an alias without a user is sent as a track of its previousId alone: the same identifiers, and a valid
            // call
            return e.userId().isEmpty()
                    ? event.put("type", "track")
                            .put("event", "Thing Done")
                            .put("anonymousId", e.anonymousId())
                            .toString()
                    : event.put("type", "alias")
                            .put("userId", e.userId())
                            .put("previousId", e.anonymousId())
                            .toString();
        }
        event.put("type", e.type()).put("anonymousId", e.anonymousId());
        put(event, "userId", e.userId());
        ObjectNode context = event.putObject("context");
        if (e.type().equals("identify")) {
            event.set("traits", traits);
        } else {
            event.put("event", "Thing Done");
            context.set("traits", traits);
        }
        if (!e.deviceId().isEmpty()) {
            context.putObject("device").put("id", e.deviceId());
        }
        return event.toString();
    }

    private static void put(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static boolean blockedUser(String userId) {
        return userId.equals("null") || userId.equals("undefined");
    }

    private Path dir() {
        try {
            Path dir = Files.createTempDirectory("tandem-prop");
            dirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterTry
    void deleteDirs() throws IOException {
        for (Path dir : List.copyOf(dirs)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        dirs.clear();
    }
}
