package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every bad input gets its status and a JSON error naming the problem, and harms nothing else. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class BadInputTest extends ServerPerTest {
    private static final String GOOD = "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Good\"}";

    BadInputTest(StoreKind store) {
        super(store);
    }

    @Test
    void missingOrUnknownWriteKeyIs401() {
        assertError(server.http().post("/v1/track", "{\"userId\":\"u\",\"event\":\"A\"}"), 401, "missing_write_key");
        assertError(
                server.http()
                        .post(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"A\"}",
                                "Authorization",
                                Http.basic("wk_nobody_here")),
                401,
                "unknown_write_key");
        assertError(
                server.http().post("/v1/batch", "{\"writeKey\":\"wk_nobody_here\",\"batch\":[]}"),
                401,
                "unknown_write_key");
        assertThat(server.events()).isEmpty();
    }

    @Test
    void invalidJsonNamesThePosition() {
        Http.Response response = server.track("/v1/batch", "{\"batch\": [\n {\"type\": \"track\",, }]}");
        assertError(response, 400, "invalid_json");
        assertThat(response.json().at("/error/message").asText()).contains("line 2, column");
        assertError(server.track("/v1/track", ""), 400, "invalid_json");
        assertError(server.track("/v1/track", "[1,2]"), 400, "invalid_body");
        assertError(server.track("/v1/batch", "{\"batch\": 5}"), 400, "invalid_batch");
        assertError(server.track("/v1/batch", "{\"events\": []}"), 400, "missing_batch");
    }

    @Test
    void sizeLimitsAreEnforcedWithTheLimitNamed() {
        String big = "x".repeat(33 * 1024);
        Http.Response single = server.track(
                "/v1/track", "{\"userId\":\"u\",\"event\":\"A\",\"properties\":{\"blob\":\"" + big + "\"}}");
        assertError(single, 400, "event_too_large");
        assertThat(single.json().at("/error/message").asText()).contains("32 KB");

        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 20; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\",\"properties\":{\"b\":\"")
                    .append("y".repeat(30 * 1024))
                    .append("\"}}");
        }
        Http.Response tooBig = server.track("/v1/batch", batch.append("]}").toString());
        assertError(tooBig, 400, "batch_too_large");
        assertThat(tooBig.json().at("/error/message").asText()).contains("500 KB");

        StringBuilder many = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 2_501; i++) {
            many.append(i == 0 ? "" : ",").append("{}");
        }
        assertError(server.track("/v1/batch", many.append("]}").toString()), 400, "batch_too_many_events");
        assertThat(server.events()).isEmpty();
    }

    @Test
    void anOversizedEventInABatchIsQuarantinedAndTheRestStored() {
        String big = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Big\",\"properties\":{\"b\":\""
                + "z".repeat(33 * 1024) + "\"}}";
        Http.Response response = server.track("/v1/batch", "{\"batch\":[" + GOOD + "," + big + "]}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(response.json().at("/rejected/0/code").asText()).isEqualTo("event_too_large");
        assertThat(server.events()).hasSize(1);
    }

    @Test
    void badEventsDoNotFailTheirBatchAndAreQuarantinedWithTheirReason() {
        String body = "{\"batch\":["
                + String.join(
                        ",",
                        List.of(
                                GOOD,
                                "{\"type\":\"track\",\"event\":\"NoIdentity\"}",
                                "{\"type\":\"track\",\"userId\":\"u1\"}",
                                "{\"type\":\"launch\",\"userId\":\"u1\"}",
                                "{\"userId\":\"u1\"}",
                                "{\"type\":\"identify\",\"userId\":{\"nested\":true}}",
                                "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":[1]}",
                                "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"A\",\"timestamp\":\"yesterday\"}",
                                "\"not an object\"",
                                "{\"type\":\"alias\",\"userId\":\"u1\"}",
                                "{\"type\":\"group\",\"userId\":\"u1\"}",
                                GOOD.replace("Good", "AlsoGood")))
                + "]}";
        Http.Response response = server.track("/v1/batch", body);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(response.json().get("rejected"))
                .extracting(r -> r.get("index").asInt() + ":" + r.get("code").asText())
                .containsExactly(
                        "1:missing_identity",
                        "2:missing_event",
                        "3:invalid_type",
                        "4:missing_type",
                        "5:invalid_field",
                        "6:invalid_field",
                        "7:invalid_timestamp",
                        "8:invalid_event",
                        "9:missing_previous_id",
                        "10:missing_group_id");
        assertThat(server.events()).extracting(e -> e.get("event").asText()).containsExactly("Good", "AlsoGood");

        JsonNode quarantine = server.admin("/v1/quarantine").json().get("events");
        assertThat(quarantine).hasSize(10);
        assertThat(quarantine.get(0).at("/reason/code").asText()).isEqualTo("missing_identity");
        assertThat(quarantine.get(0).at("/reason/field").asText()).isEqualTo("userId");
        assertThat(quarantine.get(0).at("/event/event").asText()).isEqualTo("NoIdentity");
        assertThat(quarantine.get(0).get("source").asText()).isEqualTo("test");
        assertThat(quarantine.get(7).get("event").asText()).isEqualTo("not an object");
        assertThat(server.http().get("/metrics").body()).contains("tandem_collect_rejected_total 10.0");
    }

    @Test
    void aSingleBadEventIs400AndStillKept() {
        Http.Response response = server.track("/v1/track", "{\"userId\":\"u1\"}");
        assertError(response, 400, "missing_event");
        assertThat(response.json().at("/error/field").asText()).isEqualTo("event");
        assertThat(server.admin("/v1/quarantine").json().get("events")).hasSize(1);
    }

    @Test
    void unsupportedEncodingAndBrokenGzipAreRefused() {
        assertError(server.track("/v1/track", GOOD, "Content-Encoding", "br"), 400, "unsupported_encoding");
        assertError(server.track("/v1/track", GOOD, "Content-Encoding", "gzip"), 400, "invalid_gzip");
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() {
        assertError(server.http().get("/v1/nothing-here"), 404, "not_found");
    }
}
