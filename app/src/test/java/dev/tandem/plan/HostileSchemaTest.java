package dev.tandem.plan;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schemas written to hurt the server: references to remote URLs (never fetched: a server in the test
 * counts the attempts), loops of references, huge and deeply nested schemas, and regular expressions
 * that backtrack for ever in other engines. Each is refused with a 400, or, for the regex bomb,
 * evaluated in linear time; the server keeps answering.
 */
@Timeout(120)
class HostileSchemaTest {
    @TempDir
    Path dir;

    private static String plan(String schema) {
        return "{\"sources\": [\"test\"], \"mode\": \"block\", \"owners\": [\"it-data\"], \"events\": {\"Hostile\": "
                + schema + "}}";
    }

    @Test
    void remoteReferencesAreRefusedAndNeverFetched() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/", exchange -> {
            fetched.incrementAndGet();
            byte[] body = "{\"type\": \"string\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        remote.start();
        String url = "http://127.0.0.1:" + remote.getAddress().getPort() + "/schema.json";
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            for (String schema : new String[] {
                "{\"$ref\": \"" + url + "\"}",
                "{\"properties\": {\"a\": {\"$ref\": \"" + url + "#/x\"}}}",
                "{\"allOf\": [{\"$ref\": \"//127.0.0.1:" + remote.getAddress().getPort() + "/x\"}]}",
                "{\"$schema\": \"" + url + "\"}",
                "{\"$id\": \"" + url + "\", \"$ref\": \"#\"}",
                "{\"$dynamicRef\": \"" + url + "\"}",
                "{\"$ref\": \"other.json\"}"
            }) {
                Http.Response r = server.adminSend("PUT", "/v1/tracking-plans/web", plan(schema));
                assertError(r, 400, "invalid_tracking_plan");
                assertThat(r.json().at("/error/field").asText()).isEqualTo("events.Hostile");
            }
            // data that looks like a reference is data: a property named $ref, a const holding a URL
            String data = "{\"properties\": {\"$ref\": {\"const\": {\"$ref\": \"" + url + "\"}}}}";
            assertThat(server.adminSend("PUT", "/v1/tracking-plans/web", plan(data))
                            .status())
                    .isEqualTo(201);
            assertThat(server.track(
                                    "/v1/track",
                                    "{\"userId\": \"u\", \"event\": \"Hostile\", \"properties\": {\"$ref\": 1}}")
                            .status())
                    .isEqualTo(400);
            assertThat(fetched.get()).as("requests the remote server got").isZero();
        } finally {
            remote.stop(0);
        }
    }

    @Test
    void loopsHugeAndDeepSchemasAreRefused() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            String loop =
                    "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"allOf\": [{\"$ref\": \"#/$defs/a\"}]}}, "
                            + "\"$ref\": \"#/$defs/a\"}";
            assertRefused(server, loop, "refers to itself without end");
            assertRefused(server, "{\"$ref\": \"#\"}", "refers to itself without end");
            assertRefused(server, "{\"$ref\": \"#/$defs/missing\"}", "not a schema in it");
            String deep = "{\"properties\": {\"a\": ".repeat(40) + "{}" + "}}".repeat(40);
            assertRefused(server, deep, "deeper than");
            StringBuilder wide = new StringBuilder("{\"properties\": {");
            for (int i = 0; i < 25_000; i++) {
                wide.append(i == 0 ? "" : ", ").append("\"p").append(i).append("\": true");
            }
            assertRefused(server, wide.append("}}").toString(), "more than 20000");
            assertRefused(server, "{\"pattern\": \"(a)\\\\1\"}", "RE2");
            assertRefused(server, "{\"patternProperties\": {\"(?=x)\": true}}", "RE2");
            StringBuilder many = new StringBuilder(
                    "{\"sources\": [\"test\"], \"mode\": \"allow\", \"owners\": [\"x\"], \"events\": {");
            for (int i = 0; i < 1_001; i++) {
                many.append(i == 0 ? "" : ", ").append("\"e").append(i).append("\": true");
            }
            Http.Response tooMany = server.adminSend(
                    "PUT", "/v1/tracking-plans/web", many.append("}}").toString());
            assertError(tooMany, 400, "invalid_tracking_plan");
            assertThat(tooMany.json().at("/error/message").asText()).contains("at most 1000 events");

            // a recursive schema that moves into the event is fine, however deep the event nests
            String tree =
                    "{\"$defs\": {\"node\": {\"type\": \"object\", \"properties\": {\"child\": {\"$ref\": \"#/$defs/node\"}}}}, "
                            + "\"$ref\": \"#/$defs/node\"}";
            assertThat(server.adminSend("PUT", "/v1/tracking-plans/web", plan(tree))
                            .status())
                    .isEqualTo(201);
            String nested = "{\"child\": ".repeat(60) + "{}" + "}".repeat(60);
            assertThat(server.track(
                                    "/v1/track",
                                    "{\"userId\": \"u\", \"event\": \"Hostile\", \"properties\": " + nested + "}")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aRegexBombRunsInLinearTime() {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            String bomb = "{\"properties\": {\"code\": {\"type\": \"string\", \"pattern\": \"^(a+)+$\"}}, "
                    + "\"patternProperties\": {\"^(x+x+)+y$\": {\"type\": \"string\"}}}";
            assertThat(server.adminSend("PUT", "/v1/tracking-plans/web", plan(bomb))
                            .status())
                    .isEqualTo(201);
            // a backtracking engine takes 2^60 steps on each of these; RE2 answers at once
            String evil = "a".repeat(60) + "!";
            String evilKey = "x".repeat(60);
            Http.Response r = server.track(
                    "/v1/batch",
                    "{\"batch\": [{\"userId\": \"u\", \"type\": \"track\", \"event\": \"Hostile\", \"properties\": {\"code\": \""
                            + evil
                            + "\"}}, {\"userId\": \"u\", \"type\": \"track\", \"event\": \"Hostile\", \"properties\": {\""
                            + evilKey
                            + "\": \"v\"}}, {\"userId\": \"u\", \"type\": \"track\", \"event\": \"Hostile\", \"properties\": {\"code\": \"aaa\"}}]}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("accepted").asInt()).isEqualTo(2);
            assertThat(r.json().at("/rejected/0/field").asText()).isEqualTo("properties.code");
            assertThat(server.http().get("/health").status()).isEqualTo(200);
        }
    }

    private static void assertRefused(TestServer server, String schema, String says) {
        Http.Response r = server.adminSend("PUT", "/v1/tracking-plans/web", plan(schema));
        assertError(r, 400, "invalid_tracking_plan");
        assertThat(r.json().at("/error/message").asText()).contains(says);
        assertThat(r.json().at("/error/field").asText()).isEqualTo("events.Hostile");
    }
}
