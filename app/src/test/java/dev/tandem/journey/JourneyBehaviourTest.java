package dev.tandem.journey;

import static dev.tandem.journey.Journeys.identify;
import static dev.tandem.journey.Journeys.stats;
import static dev.tandem.journey.Journeys.step;
import static dev.tandem.journey.Journeys.templates;
import static dev.tandem.journey.Journeys.track;
import static dev.tandem.journey.Journeys.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.connect.Receiver;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a journey does over time, on both stores: consent withdrawn while waiting (the gate denies
 * the next send and the instance exits), re-entry rules, one instance per entry key, an edited
 * journey becoming a new version while instances in flight stay on theirs, pause and resume, and
 * a frequency cap shared by two journeys.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class JourneyBehaviourTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    JourneyBehaviourTest(StoreKind store) {
        this.store = store;
    }

    private static String twoSends(String key, String entry, String reentry, String wait) {
        return """
                  - key: %s
                    owners: [marketing]
                    entry: %s
                    reentry: %s
                    steps:
                      - send: { destination: email_tool, message: { template: %s_1 } }
                      - wait: %s
                      - send: { destination: email_tool, message: { template: %s_2 } }
                """.formatted(key, entry, reentry, key, wait, key);
    }

    @Test
    void consentWithdrawnWhileWaitingExitsAtTheNextSend() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(
                        store,
                        dir,
                        Journeys.destination(receiver) + "journeys:\n"
                                + twoSends("care", "{ event: \"event == 'Signed Up'\" }", "once", "1d"),
                        clock)) {
            Journeys.send(server, List.of(identify("ann", true, "{}"), track("ann", "Signed Up", "s1", "{}")));
            server.awaitProcessed();
            until(server, "care", s -> step(s, "1").path("waiting").asLong() == 1);
            Journeys.send(server, List.of(identify("ann", false, "{}")));
            server.awaitProcessed();
            clock.advance(Duration.ofDays(1).plusMinutes(1));
            until(server, "care", s -> step(s, "2").path("denied").asLong() == 1);
            JsonNode s = stats(server, "care");
            assertThat(step(s, "2").path("sent").asLong()).isZero();
            assertThat(step(s, "2").path("exited").asLong()).isEqualTo(1);
            String profile = profileId(server, "ann");
            JsonNode instance = server.admin("/v1/journeys/care/instances?profile=" + profile)
                    .json()
                    .path("instances")
                    .get(0);
            assertThat(instance.path("status").asText()).isEqualTo("exited");
            assertThat(instance.path("exitReason").asText()).isEqualTo("consent");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> templates(receiver).containsKey("ann"));
            assertThat(templates(receiver).get("ann")).containsExactly("care_1");
        }
    }

    @Test
    void reentryRulesAndKeyedEntry() throws Exception {
        TestClock clock = TestClock.standard();
        String yaml = "journeys:\n"
                + twoSends("once", "{ event: \"event == 'Visit'\" }", "once", "1h")
                + twoSends("always", "{ event: \"event == 'Visit'\" }", "always", "1h")
                + twoSends("later", "{ event: \"event == 'Visit'\" }", "after 2d", "1h")
                + twoSends(
                        "orders",
                        "{ event: \"event == 'Order Completed'\", key: \"properties.order_id\" }",
                        "once",
                        "1h");
        try (Receiver receiver = new Receiver();
                TestServer server =
                        TestServer.withWorkspace(store, dir, Journeys.destination(receiver) + yaml, clock)) {
            Journeys.send(
                    server,
                    List.of(
                            identify("bo", true, "{}"),
                            track("bo", "Visit", "v1", "{}"),
                            track("bo", "Order Completed", "o1", "{\"order_id\": \"A\"}"),
                            track("bo", "Order Completed", "o2", "{\"order_id\": \"B\"}"),
                            track("bo", "Order Completed", "o3", "{\"order_id\": \"A\"}")));
            server.awaitProcessed();
            // a second visit while every instance is in flight enters nothing
            Journeys.send(server, List.of(track("bo", "Visit", "v2", "{}")));
            server.awaitProcessed();
            // the wait is timed from the walk: move the clock only once the runner has walked the entry to it
            until(server, "always", s -> step(s, "1").path("waiting").asLong() == 1);
            clock.advance(Duration.ofHours(2));
            until(server, "always", s -> step(s, "2").path("sent").asLong() == 1);
            // after the first instances finished: always enters again, after 2d not yet, once never
            clock.advance(Duration.ofHours(1));
            Journeys.send(server, List.of(track("bo", "Visit", "v3", "{}")));
            server.awaitProcessed();
            until(server, "always", s -> step(s, "1").path("waiting").asLong() == 1);
            clock.advance(Duration.ofDays(2));
            until(server, "always", s -> step(s, "2").path("sent").asLong() == 2);
            Journeys.send(server, List.of(track("bo", "Visit", "v4", "{}")));
            server.awaitProcessed();
            clock.advance(Duration.ofHours(2));
            String profile = profileId(server, "bo");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(instances(server, "once", profile)).isEqualTo(1);
                assertThat(instances(server, "always", profile))
                        .isEqualTo(3); // v1, v3, v4: each after the last finished
                assertThat(instances(server, "later", profile)).isEqualTo(2);
                assertThat(instances(server, "orders", profile)).isEqualTo(2);
            });
            JsonNode orders = server.admin("/v1/journeys/orders/instances?profile=" + profile)
                    .json();
            assertThat(orders.path("instances").findValuesAsText("entryKey")).containsExactlyInAnyOrder("k:A", "k:B");
        }
    }

    @Test
    void editedJourneyIsANewVersionAndInstancesInFlightStayOnTheirs() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver()) {
            String v1 = Journeys.destination(receiver) + "journeys:\n"
                    + twoSends("promo", "{ event: \"event == 'Signed Up'\" }", "once", "1d");
            try (TestServer server = TestServer.withWorkspace(store, dir, v1, clock)) {
                Journeys.send(server, List.of(identify("cy", true, "{}"), track("cy", "Signed Up", "s1", "{}")));
                server.awaitProcessed();
                until(server, "promo", s -> step(s, "1").path("waiting").asLong() == 1);
                assertThat(server.admin("/v1/journeys/promo")
                                .json()
                                .path("version")
                                .asInt())
                        .isEqualTo(1);

                String v2 = v1.replace("template: promo_2", "template: promo_2b");
                server.restartWith(
                        dir.resolve("tandem.yaml"),
                        v2.contains("sources:")
                                ? v2
                                : v2 + "\nsources:\n  - name: test\n    writeKey: " + TestServer.WRITE_KEY + "\n");
                assertThat(server.admin("/v1/journeys/promo")
                                .json()
                                .path("version")
                                .asInt())
                        .isEqualTo(2);
                Journeys.send(server, List.of(identify("di", true, "{}"), track("di", "Signed Up", "s2", "{}")));
                server.awaitProcessed();
                until(server, "promo", s -> step(s, "1").path("waiting").asLong() == 1);
                clock.advance(Duration.ofDays(1).plusMinutes(1));
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(templates(receiver)
                                                .getOrDefault("cy", List.of())
                                                .size()
                                        + templates(receiver)
                                                .getOrDefault("di", List.of())
                                                .size())
                                .as(
                                        "received %s; v1 %s; v2 %s; cy %s; di %s",
                                        templates(receiver),
                                        server.admin("/v1/journeys/promo/stats?version=1")
                                                .body(),
                                        stats(server, "promo"),
                                        server.admin("/v1/journeys/promo/instances?profile=user_id:cy")
                                                .body(),
                                        server.admin("/v1/journeys/promo/instances?profile=user_id:di")
                                                .body())
                                .isEqualTo(4));
                assertThat(templates(receiver).get("cy")).containsExactly("promo_1", "promo_2");
                assertThat(templates(receiver).get("di")).containsExactly("promo_1", "promo_2b");
                assertThat(stats(server, "promo").path("version").asInt()).isEqualTo(2);
                assertThat(step(
                                        server.admin("/v1/journeys/promo/stats?version=1")
                                                .json(),
                                        "2")
                                .path("sent")
                                .asLong())
                        .isEqualTo(1);
            }
        }
    }

    /**
     * The stage reads a profile's instances for exits only on events some stored version's
     * {@code exitWhen} matches: an exit the live version dropped still ends the instances on the
     * version that had it, and the live version's instances stay.
     */
    @Test
    void anEarlierVersionsExitStillEndsItsInstancesInFlight() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver()) {
            String v1 = Journeys.destination(receiver) + "journeys:\n"
                    + twoSends("promo", "{ event: \"event == 'Signed Up'\" }", "once", "1d")
                            .replace("    steps:", "    exitWhen: \"event == 'Cancelled'\"\n    steps:")
                    + "sources:\n  - name: test\n    writeKey: " + TestServer.WRITE_KEY + "\n";
            try (TestServer server = TestServer.withWorkspace(store, dir, v1, clock)) {
                Journeys.send(server, List.of(identify("cy", true, "{}"), track("cy", "Signed Up", "s1", "{}")));
                server.awaitProcessed();
                until(server, "promo", s -> step(s, "1").path("waiting").asLong() == 1);

                String v2 = v1.replace("event == 'Cancelled'", "event == 'Refunded'");
                server.restartWith(dir.resolve("tandem.yaml"), v2);
                Journeys.send(server, List.of(identify("di", true, "{}"), track("di", "Signed Up", "s2", "{}")));
                server.awaitProcessed();
                until(server, "promo", s -> step(s, "1").path("waiting").asLong() == 1);

                Journeys.send(
                        server, List.of(track("cy", "Cancelled", "c1", "{}"), track("di", "Cancelled", "c2", "{}")));
                server.awaitProcessed();
                JsonNode cy = server.admin("/v1/journeys/promo/instances?profile=user_id:cy")
                        .json()
                        .at("/instances/0");
                assertThat(cy.path("version").asInt()).isEqualTo(1);
                assertThat(cy.path("status").asText()).isEqualTo("exited");
                assertThat(cy.path("exitReason").asText()).isEqualTo("exit event");
                JsonNode di = server.admin("/v1/journeys/promo/instances?profile=user_id:di")
                        .json()
                        .at("/instances/0");
                assertThat(di.path("version").asInt()).isEqualTo(2);
                assertThat(di.path("status").asText()).isEqualTo("waiting");

                // the live version's exit ends di's; a second sign-up of cy enters nobody (once)
                Journeys.send(
                        server, List.of(track("di", "Refunded", "r1", "{}"), track("cy", "Signed Up", "s3", "{}")));
                server.awaitProcessed();
                assertThat(server.admin("/v1/journeys/promo/instances?profile=user_id:di")
                                .json()
                                .at("/instances/0/status")
                                .asText())
                        .isEqualTo("exited");
                assertThat(server.admin("/v1/journeys/promo/instances?profile=user_id:cy")
                                .json()
                                .path("instances")
                                .size())
                        .isEqualTo(1);
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(templates(receiver))
                                .containsEntry("cy", List.of("promo_1"))
                                .containsEntry("di", List.of("promo_1")));
            }
        }
    }

    @Test
    void pauseStopsSendsAndResumeCarriesOn() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(
                        store,
                        dir,
                        Journeys.destination(receiver) + "journeys:\n"
                                + twoSends("nudge", "{ event: \"event == 'Signed Up'\" }", "once", "1d"),
                        clock)) {
            Journeys.send(server, List.of(identify("ed", true, "{}"), track("ed", "Signed Up", "s1", "{}")));
            server.awaitProcessed();
            until(server, "nudge", s -> step(s, "1").path("waiting").asLong() == 1);
            JsonNode paused =
                    server.adminSend("POST", "/v1/journeys/nudge/pause", "").json();
            assertThat(paused.path("status").asText()).isEqualTo("paused");
            clock.advance(Duration.ofDays(2));
            server.awaitProcessed();
            Thread.sleep(300); // a paused journey's timer must not fire: give it the chance to
            assertThat(step(stats(server, "nudge"), "2").path("sent").asLong()).isZero();
            assertThat(server.adminSend("POST", "/v1/journeys/nudge/resume", "")
                            .json()
                            .path("status")
                            .asText())
                    .isEqualTo("live");
            until(server, "nudge", s -> step(s, "2").path("sent").asLong() == 1);
        }
    }

    @Test
    void aCapHoldsAcrossTwoJourneysAndExemptSendsPass() throws Exception {
        TestClock clock = TestClock.standard();
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.withWorkspace(store, dir, Journeys.destination(receiver) + """
                                frequencyCaps: { email: 1 }
                                journeys:
                                  - key: first
                                    owners: [marketing]
                                    entry: { event: "event == 'Signed Up'" }
                                    steps:
                                      - send: { destination: email_tool, channel: email, message: { template: first } }
                                  - key: second
                                    owners: [marketing]
                                    entry: { event: "event == 'Signed Up'" }
                                    steps:
                                      - send: { destination: email_tool, channel: email, message: { template: second } }
                                      - send: { destination: email_tool, channel: email, exempt: true, message: { template: receipt } }
                                """, clock)) {
            Journeys.send(server, List.of(identify("fi", true, "{}"), track("fi", "Signed Up", "s1", "{}")));
            server.awaitProcessed();
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            templates(receiver).getOrDefault("fi", List.of()).size() == 2);
            JsonNode first = stats(server, "first");
            JsonNode second = stats(server, "second");
            assertThat(step(first, "0").path("sent").asLong()
                            + step(second, "0").path("sent").asLong())
                    .isEqualTo(1);
            assertThat(step(first, "0").path("capped").asLong()
                            + step(second, "0").path("capped").asLong())
                    .isEqualTo(1);
            assertThat(step(second, "1").path("sent").asLong()).isEqualTo(1);
            assertThat(templates(receiver).get("fi")).contains("receipt");
        }
    }

    private static long instances(TestServer server, String journey, String profile) {
        return server.admin("/v1/journeys/" + journey + "/instances?profile=" + profile)
                .json()
                .path("instances")
                .size();
    }

    static String profileId(TestServer server, String user) {
        return "user_id:" + user;
    }
}
