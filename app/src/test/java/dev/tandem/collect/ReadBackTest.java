package dev.tandem.collect;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading back events and the quarantine with the admin token, and replaying a fixed event. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ReadBackTest extends ServerPerTest {

    ReadBackTest(StoreKind store) {
        super(store);
    }

    @Test
    void readBackNeedsTheAdminToken() {
        assertThat(server.http().get("/v1/events").status()).isEqualTo(401);
        assertError(server.http().get("/v1/events", "Authorization", "Bearer wrong-token"), 401, "invalid_token");
        assertThat(server.http().get("/v1/quarantine").status()).isEqualTo(401);
        assertThat(server.http().post("/v1/quarantine/1/replay", "").status()).isEqualTo(401);
        assertThat(server.http().get("/v1/admin/sources").status()).isEqualTo(401);
    }

    @Test
    void eventsArePagedInArrivalOrderWithACursor() {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 25; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E")
                    .append(i)
                    .append("\"}");
        }
        server.track("/v1/batch", batch.append("]}").toString());
        List<String> names = new ArrayList<>();
        String after = "";
        for (int page = 0; page < 3; page++) {
            JsonNode body = server.admin("/v1/events?limit=10" + (after.isEmpty() ? "" : "&after=" + after))
                    .json();
            body.get("events").forEach(e -> names.add(e.get("event").asText()));
            after = body.get("next").asText();
        }
        assertThat(names).hasSize(25).startsWith("E0", "E1").endsWith("E24");
        JsonNode empty = server.admin("/v1/events?after=" + after).json();
        assertThat(empty.get("events")).isEmpty();
        assertThat(empty.get("next").asText()).isEqualTo(after);
    }

    @Test
    void eventsCanBeFilteredBySourceAndBadParametersAre400() {
        Http.Response created = server.http()
                .post("/v1/admin/sources", "{\"name\":\"ios\"}", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(created.status()).isEqualTo(201);
        String iosKey = created.json().get("writeKey").asText();
        server.track("/v1/track", "{\"userId\":\"u\",\"event\":\"FromTest\"}");
        server.http()
                .post("/v1/track", "{\"userId\":\"u\",\"event\":\"FromIos\"}", "Authorization", Http.basic(iosKey));
        assertThat(server.admin("/v1/events?source=ios").json().get("events"))
                .extracting(e -> e.get("event").asText())
                .containsExactly("FromIos");
        assertError(server.admin("/v1/events?source=nope"), 400, "unknown_source");
        assertError(server.admin("/v1/events?after=abc"), 400, "invalid_cursor");
        assertError(server.admin("/v1/events?limit=0"), 400, "invalid_limit");
        Http.Response duplicate = server.http()
                .post("/v1/admin/sources", "{\"name\":\"ios\"}", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
        assertThat(duplicate.status()).isEqualTo(409);
        Http.Response badName = server.http()
                .post(
                        "/v1/admin/sources",
                        "{\"name\":\"Bad Name\"}",
                        "Authorization",
                        "Bearer " + TestServer.ADMIN_TOKEN);
        assertError(badName, 400, "invalid_source_name");
    }

    @Test
    void aFixedQuarantinedEventIsReplayedIntoTheInboxOnce() {
        server.track("/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"u7\",\"properties\":{\"total\":5}}]}");
        JsonNode quarantined = server.admin("/v1/quarantine").json().at("/events/0");
        long id = quarantined.get("id").asLong();
        String token = "Bearer " + TestServer.ADMIN_TOKEN;

        Http.Response stillBad = server.http().post("/v1/quarantine/" + id + "/replay", "", "Authorization", token);
        assertError(stillBad, 400, "missing_event");

        String fixed = quarantined.get("event").toString().replace("{", "{\"event\":\"Order Completed\",");
        assertThat(server.http()
                        .post("/v1/quarantine/" + id + "/replay", fixed, "Authorization", token)
                        .status())
                .isEqualTo(200);
        assertThat(server.events())
                .extracting(e -> e.get("event").asText() + "/" + e.get("userId").asText())
                .containsExactly("Order Completed/u7");
        assertThat(server.admin("/v1/quarantine").json().get("events")).isEmpty();
        assertThat(server.admin("/v1/quarantine?all=true")
                        .json()
                        .at("/events/0/replayedAt")
                        .asText())
                .isNotBlank();
        assertThat(server.http()
                        .post("/v1/quarantine/" + id + "/replay", fixed, "Authorization", token)
                        .status())
                .isEqualTo(409);
        assertThat(server.http()
                        .post("/v1/quarantine/999999/replay", fixed, "Authorization", token)
                        .status())
                .isEqualTo(404);
    }
}
