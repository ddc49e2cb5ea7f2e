package dev.tandem.server;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold connections open: hundreds of tracking requests that announce a large body and
 * send a byte every few seconds, without credentials. The server keeps answering {@code /health}
 * and tracking calls, and a body that does not arrive in time gets a JSON 408.
 */
class SlowClientTest {
    private static final int SLOW_CLIENTS = 300;

    @TempDir
    Path dir;

    @Test
    void healthAndTrackingKeepAnsweringWhileHundredsOfBodiesTrickleIn() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW_CLIENTS; i++) {
                    // Half without credentials on tracking; half on decide with the public write key a page carries.
                    slow.add(
                            i % 2 == 0
                                    ? startSlowBody(server.tandem().port(), "/v1/batch", 400_000)
                                    : startSlowBody(
                                            server.tandem().port(),
                                            "/v1/decide",
                                            30_000,
                                            "Authorization: " + Http.basic(TestServer.WRITE_KEY)));
                }
                long end = System.nanoTime() + 12_000_000_000L;
                int health = 0;
                int tracked = 0;
                while (System.nanoTime() < end) {
                    for (Socket s : slow) {
                        trickle(s);
                    }
                    for (int i = 0; i < 10; i++) {
                        assertThat(server.http().get("/health").status()).isEqualTo(200);
                        health++;
                    }
                    Http.Response track =
                            server.track("/v1/track", "{\"userId\":\"u" + tracked + "\",\"event\":\"Still Here\"}");
                    assertThat(track.status()).as(track.body()).isEqualTo(200);
                    tracked++;
                    Thread.sleep(1_000);
                }
                assertThat(health).isGreaterThan(50);
                assertThat(server.events()).hasSize(tracked);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void whenEveryWorkerWaitsOnAStuckStoreMoreWorkIsRefusedWith503AndHealthStillAnswers() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir);
                java.sql.Connection lock =
                        java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("inbox.db"))) {
            // A stuck store: another process holds the inbox's write lock, so every tracking call waits for its commit.
            lock.createStatement().execute("PRAGMA busy_timeout = 10000");
            lock.createStatement().execute("BEGIN EXCLUSIVE");
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build();
            List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 260; i++) {
                calls.add(client.sendAsync(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/v1/track"))
                                .header("Authorization", Http.basic(TestServer.WRITE_KEY))
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"userId\":\"w" + i + "\",\"event\":\"Wait\"}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()));
            }
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(8))
                    .until(() ->
                            calls.stream().anyMatch(c -> c.isDone() && c.join().statusCode() == 503));
            assertThat(server.http().get("/health").status()).isEqualTo(200);
            lock.createStatement().execute("ROLLBACK");
            java.net.http.HttpResponse<String> refused = calls.stream()
                    .map(java.util.concurrent.CompletableFuture::join)
                    .filter(r -> r.body().contains("server_busy"))
                    .findFirst()
                    .orElseThrow();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeGetsAJson408() throws Exception {
        try (TestServer server =
                        TestServer.start(StoreKind.SQLITE, dir, Clock.systemUTC(), Map.of("bodyTimeoutSeconds", "1"));
                Socket socket = startSlowBody(server.tandem().port(), "/v1/track", 100)) {
            String response = readAll(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(response).contains("\"code\":\"body_timeout\"");
            assertThat(server.http().get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void jettysOwnErrorsComeInTheJsonShape() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir)) {
            int port = server.tandem().port();
            assertThat(raw(port, "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"))
                    .startsWith("HTTP/1.1 505")
                    .contains("\"code\":\"");
            assertThat(raw(port, "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                    .startsWith("HTTP/1.1 414")
                    .contains("\"code\":\"url_too_long\"");
            assertThat(raw(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 431")
                    .contains("\"code\":\"headers_too_large\"");
            assertThat(raw(port, "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"))
                    .startsWith("HTTP/1.1 400")
                    .contains("application/json")
                    .contains("\"error\":{\"code\":\"bad_http\"");
            assertError(server.http().get("/nothing-here"), 404, "not_found");
        }
    }

    @Test
    void linksAndSettingsUseThePublicUrlNotTheHostHeader() throws Exception {
        try (TestServer server = TestServer.start(
                StoreKind.SQLITE, dir, Clock.systemUTC(), Map.of("publicUrl", "https://cdp.example.com"))) {
            String settings = raw(
                    server.tandem().port(),
                    "GET /v1/projects/" + TestServer.WRITE_KEY
                            + "/settings HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
            assertThat(settings)
                    .contains("\"apiHost\":\"cdp.example.com/v1\"")
                    .contains("\"protocol\":\"https\"")
                    .doesNotContain("evil");
        }
        try (TestServer server = TestServer.start(StoreKind.SQLITE, dir.resolve("default"))) {
            String settings = raw(
                    server.tandem().port(),
                    "GET /v1/projects/" + TestServer.WRITE_KEY
                            + "/settings HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
            assertThat(settings)
                    .contains("\"apiHost\":\"localhost:" + server.tandem().port() + "/v1\"")
                    .doesNotContain("evil");
        }
    }

    @Test
    void readyReportsALowDiskBeforeTheFirstEvent() {
        try (TestServer server =
                TestServer.start(StoreKind.SQLITE, dir, Clock.systemUTC(), Map.of("diskReserveMb", "1000000"))) {
            Http.Response ready = server.http().get("/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().at("/checks/disk").asText()).isEqualTo("below reserve");
        }
    }

    /** Sends a tracking request's head announcing {@code length} bytes of body, and one byte of it. */
    private static Socket startSlowBody(int port, String path, int length, String... headers) throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream()
                .write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + String.join(
                                        "",
                                        java.util.Arrays.stream(headers)
                                                .map(h -> h + "\r\n")
                                                .toList())
                                + "Content-Length: " + length + "\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static void trickle(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(' ');
            out.flush();
        } catch (IOException closedByTheServer) {
            // the server gave up on this body (408), as it should
        }
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (text.indexOf("\r\n\r\n") > 0 && text.indexOf("}}") > 0) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // the server closed the connection after answering
        }
        return text.toString();
    }
}
