package dev.tandem.process;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Events the pipeline cannot apply are set aside with their reason and the pipeline goes on. The
 * poison events here are written into the inbox with SQL, as a Tandem from before the collector's
 * time bounds stored them (a timestamp of year -999999999 once stopped the processor for good), and
 * the "fix" before a successful replay is a repair of that stored row.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ProcessingQuarantineTest extends ServerPerTest {

    ProcessingQuarantineTest(StoreKind store) {
        super(store);
    }

    @Test
    void aPoisonEventIsSetAsideTheRestIsAppliedAndAReplayAppliesItOnceFixed() {
        server.track("/v1/track", "{\"userId\":\"before\",\"event\":\"A\"}");
        long poison = storeAsOlderTandemDid(
                "{\"type\":\"track\",\"userId\":\"poison\",\"event\":\"X\",\"messageId\":\"p1\","
                        + "\"timestamp\":\"-999999999-01-01T00:00:00Z\",\"receivedAt\":\"2026-11-24T10:00:00.000Z\"}",
                "p1");
        long brokenTraits = storeAsOlderTandemDid(
                "{\"type\":\"identify\",\"userId\":\"odd\",\"messageId\":\"p2\",\"traits\":\"not an object\","
                        + "\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"receivedAt\":\"2026-11-24T10:00:00.000Z\"}",
                "p2");
        server.track(
                "/v1/batch",
                "{\"batch\":[{\"type\":\"track\",\"userId\":\"after1\",\"event\":\"B\"},"
                        + "{\"type\":\"identify\",\"userId\":\"after2\",\"traits\":{\"plan\":\"pro\"}}]}");
        server.awaitProcessed();

        assertThat(server.profile("user_id:before", "traits").status()).isEqualTo(200);
        assertThat(server.profile("user_id:after1", "traits").status()).isEqualTo(200);
        assertThat(server.profile("user_id:after2", "traits")
                        .json()
                        .at("/traits/plan")
                        .asText())
                .isEqualTo("pro");
        JsonNode status = server.admin("/v1/admin/processor").json();
        assertThat(status.get("state").asText()).isEqualTo("running");
        assertThat(status.get("lastError").isNull()).isTrue();

        JsonNode setAside = server.admin("/v1/admin/processor/set-aside").json().get("events");
        JsonNode first = setAside.get(0);
        assertThat(first.get("seq").asLong()).isEqualTo(poison);
        assertThat(first.get("stage").asText()).isEqualTo("read");
        assertThat(first.get("reason").asText()).contains("ArithmeticException");
        assertThat(first.at("/event/userId").asText()).isEqualTo("poison");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        long setAsideCount = status.get("setAside").asLong();
        assertThat(setAsideCount).isEqualTo(setAside.size());
        String metrics = server.http().get("/metrics").body();
        assertThat(metrics).contains("tandem_process_set_aside_total " + setAsideCount + ".0");
        // the processor's CPU by part of a batch: each stage's work, and the commit, are counted
        for (String part : new String[] {"read", "parse", "resolve.process", "profile.write", "commit"}) {
            assertThat(metrics)
                    .containsPattern(
                            "tandem_process_cpu_seconds_total\\{part=\"" + part.replace(".", "\\.") + "\",?\\} [0-9]");
        }
        if (setAside.size() > 1) {
            assertThat(setAside.get(1).get("seq").asLong()).isEqualTo(brokenTraits);
            assertThat(setAside.get(1).get("stage").asText()).isNotEqualTo("read");
        } else {
            // The stages took the odd identify in their stride: it must then be applied, not lost.
            assertThat(server.profile("user_id:odd", "traits").status()).isEqualTo(200);
        }

        // Replayed unchanged it fails again, and says so.
        assertThat(server.adminSend("POST", "/v1/admin/processor/set-aside/replay", "{\"seqs\":[" + poison + "]}")
                        .status())
                .isEqualTo(202);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> server.admin("/v1/admin/processor/set-aside")
                                .json()
                                .at("/events/0/attempts")
                                .asInt()
                        == 2);
        assertThat(server.admin("/v1/admin/processor/set-aside")
                        .json()
                        .at("/events/0/replayAsked")
                        .asBoolean())
                .isFalse();

        server.tandem()
                .database()
                .inbox()
                .jdbi()
                .useHandle(h -> h.createUpdate("UPDATE inbox SET payload = :p WHERE seq = :seq")
                        .bind(
                                "p",
                                "{\"type\":\"track\",\"userId\":\"poison\",\"event\":\"X\",\"messageId\":\"p1\","
                                        + "\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"receivedAt\":\"2026-11-24T10:00:00.000Z\"}")
                        .bind("seq", poison)
                        .execute());
        server.restart();
        Http.Response replay = server.adminSend("POST", "/v1/admin/processor/set-aside/replay", "{\"all\":true}");
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.json().get("replayAsked").asInt()).isEqualTo((int) setAsideCount);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> server.profile("user_id:poison", "traits").status() == 200);
        JsonNode history =
                server.admin("/v1/admin/processor/set-aside?all=true").json().get("events");
        assertThat(history.get(0).get("replayedAt").asText()).isNotBlank();
        assertThat(server.admin("/v1/admin/processor").json().get("setAside").asLong())
                .isEqualTo(setAsideCount - 1);
    }

    @Test
    void replayRequestsAreChecked() {
        assertError(server.adminSend("POST", "/v1/admin/processor/set-aside/replay", "{}"), 400, "missing_seqs");
        assertError(
                server.adminSend("POST", "/v1/admin/processor/set-aside/replay", "{\"seqs\":[\"x\"]}"),
                400,
                "invalid_seq");
        assertError(server.adminSend("POST", "/v1/admin/processor/set-aside/replay", "not json"), 400, "invalid_json");
        assertError(
                server.adminSend("POST", "/v1/admin/processor/set-aside/replay", "{\"all\":\"true\"}"),
                400,
                "missing_seqs");
        assertError(
                server.adminSend(
                        "POST", "/v1/admin/processor/set-aside/replay", "{\"seqs\":[99999999999999999999999]}"),
                400,
                "invalid_seq");
        String many = java.util.stream.IntStream.rangeClosed(1, 10_001)
                .mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
        assertError(
                server.adminSend("POST", "/v1/admin/processor/set-aside/replay", "{\"seqs\":[" + many + "]}"),
                400,
                "too_many_seqs");
        assertThat(server.http().get("/v1/admin/processor/set-aside").status()).isEqualTo(401);
        assertError(server.admin("/v1/admin/processor/set-aside?after=-3"), 400, "invalid_cursor");
    }

    private long storeAsOlderTandemDid(String payload, String messageId) {
        String sourceId = server.tandem()
                .sources()
                .byWriteKey(TestServer.WRITE_KEY)
                .orElseThrow()
                .id();
        return server.tandem().database().inbox().jdbi().withHandle(h -> {
            h.createUpdate(
                            "INSERT INTO inbox (source_id, message_id, type, received_at, payload) VALUES (:s, :m, :t, :r, :p)")
                    .bind("s", sourceId)
                    .bind("m", messageId)
                    .bind("t", payload.contains("identify") ? "identify" : "track")
                    .bind("r", System.currentTimeMillis())
                    .bind("p", payload)
                    .execute();
            return h.createQuery("SELECT MAX(seq) FROM inbox").mapTo(Long.class).one();
        });
    }
}
