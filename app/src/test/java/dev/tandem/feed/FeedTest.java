package dev.tandem.feed;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.Json;
import dev.tandem.testing.Http;
import dev.tandem.testing.RouteServer;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;

/**
 * The change feed through HTTP: JSON Feed and Atom with filters, and subscriptions to a real
 * receiver in the test: an urgent item arrives once, signed as Standard Webhooks says (checked by the
 * documented recipe), again with the same id after the receiver failed; the rest in a digest a day
 * later; Slack's shape; bad input and callers without the scope refused.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class FeedTest {
    record Received(String id, String timestamp, String signature, String body) {}

    private final StoreKind store;
    private final TestClock clock = TestClock.standard();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();

    @TempDir
    Path dir;

    private TestServer server;
    private RouteServer receiver;

    FeedTest(StoreKind store) {
        this.store = store;
    }

    @BeforeEach
    void start() {
        // the receiver is on this machine: a loopback address, refused unless the setting allows it
        server = TestServer.start(store, dir, clock, Map.of("subscriptionsAllowPrivate", "true"));
        receiver = RouteServer.start(app -> app.post("/hook", ctx -> {
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ctx.status(503);
                return;
            }
            received.add(new Received(
                    ctx.header("webhook-id"),
                    ctx.header("webhook-timestamp"),
                    ctx.header("webhook-signature"),
                    ctx.body()));
            ctx.status(204);
        }));
    }

    @AfterEach
    void stop() {
        receiver.close();
        server.close();
    }

    @Test
    void anUrgentItemArrivesOnceSignedAndTheRestInADailyDigest() throws Exception {
        JsonNode subscription = subscribe("[\"people\", \"changes\"]", "json");
        String secret = subscription.path("secret").asText();
        assertThat(secret).startsWith("whsec_");

        addPerson("ann", "marketer");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        Received first = received.getFirst();
        assertThat(first.signature()).isEqualTo(signature(secret, first));
        JsonNode items = Json.mapper().readTree(first.body()).path("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("title").asText()).isEqualTo("admin added person:ann as marketer in marketing");
        assertThat(items.get(0).path("tags").get(0).asText()).isEqualTo("people");

        // the receiver fails once: the next urgent item comes again, with the same id, once it answers
        failNext.set(1);
        addPerson("bob", "steward");
        // the failed attempt is retried after a backoff: move the clock on until it comes
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    clock.advance(Duration.ofMinutes(1));
                    return received.size() == 2;
                });
        assertThat(failNext.get()).isZero();
        assertThat(received.get(1).body()).contains("person:bob");
        Thread.sleep(300);
        assertThat(received).hasSize(2);
        assertThat(received).extracting(Received::id).doesNotHaveDuplicates();

        // the admin changes (not urgent) wait for the day's digest
        clock.advance(Duration.ofDays(1));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 3);
        Received digest = received.get(2);
        assertThat(digest.signature()).isEqualTo(signature(secret, digest));
        JsonNode d = Json.mapper().readTree(digest.body());
        assertThat(d.path("digest").asBoolean()).isTrue();
        assertThat(d.path("items"))
                .extracting(i -> i.path("_tandem").path("topic").asText())
                .containsOnly("changes");
        assertThat(d.path("items"))
                .extracting(i -> i.path("_tandem").path("object").asText())
                .containsExactly("/v1/admin/subscriptions", "/v1/admin/people", "/v1/admin/people");
        clock.advance(Duration.ofMinutes(5));
        Thread.sleep(300);
        assertThat(received).hasSize(3);
    }

    @Test
    void aSlackSubscriptionGetsText() {
        subscribe("[\"people\"]", "slack");
        addPerson("ann", "marketer");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertThat(received.getFirst().body())
                .isEqualTo("{\"text\":\"admin added person:ann as marketer in marketing\"}");
    }

    @Test
    void theFeedIsJsonFeedAndAtomNewestFirstWithFilters() throws Exception {
        addPerson("ann", "marketer");
        addPerson("bob", "analyst");
        Http.Response feed = server.admin("/v1/feed");
        assertThat(feed.header("Content-Type")).startsWith("application/feed+json");
        JsonNode f = feed.json();
        assertThat(f.path("version").asText()).isEqualTo("https://jsonfeed.org/version/1.1");
        // newest first: the route's own change record comes after the person it added
        assertThat(f.path("items").get(0).path("title").asText())
                .isEqualTo("admin changed /v1/admin/people (POST /v1/admin/people)");
        assertThat(f.path("items").get(1).path("title").asText()).contains("person:bob");
        assertThat(server.admin("/v1/feed?topic=people").json().path("items")).hasSize(2);
        assertThat(server.admin("/v1/feed?topic=people&limit=1")
                        .json()
                        .path("next_url")
                        .asText())
                .contains("before=");
        assertThat(server.admin("/v1/feed?object=person:ann").json().path("items"))
                .extracting(i -> i.path("_tandem").path("object").asText())
                .containsOnly("person:ann");
        // no sign-in noise in the feed: those stay in the audit trail
        assertThat(server.admin("/v1/feed").body()).doesNotContain("signed_in");

        Http.Response atom = server.admin("/v1/feed.atom?topic=people");
        assertThat(atom.header("Content-Type")).startsWith("application/atom+xml");
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(atom.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("feed");
        assertThat(doc.getElementsByTagName("entry").getLength()).isEqualTo(2);
    }

    @Test
    void badInputAndCallersWithoutTheScopeAreRefused() {
        assertError(server.http().get("/v1/feed"), 401, "missing_token");
        String other = server.adminSend(
                        "POST", "/v1/admin/tokens", "{\"name\": \"reader\", \"scopes\": [\"profiles:read\"]}")
                .json()
                .path("token")
                .asText();
        assertError(server.http().get("/v1/feed", "Authorization", "Bearer " + other), 403, "missing_scope");
        String reader = server.adminSend(
                        "POST", "/v1/admin/tokens", "{\"name\": \"feed\", \"scopes\": [\"feed:read\"]}")
                .json()
                .path("token")
                .asText();
        assertThat(server.http()
                        .get("/v1/feed.atom", "Authorization", "Bearer " + reader)
                        .status())
                .isEqualTo(200);
        assertError(
                server.http().get("/v1/admin/subscriptions", "Authorization", "Bearer " + reader),
                401,
                "invalid_token");
        assertError(server.admin("/v1/feed?topic=gossip"), 400, "invalid_topic");
        assertError(server.admin("/v1/feed?limit=0"), 400, "invalid_limit");
        assertError(server.admin("/v1/feed?before=-1"), 400, "invalid_before");
        assertError(server.admin("/v1/feed?object=" + "o".repeat(300)), 400, "invalid_object");
        String hook = "\"http://localhost:" + port() + "/hook\"";
        assertError(sub("{\"url\": \"ftp://x/y\", \"topics\": [\"people\"]}"), 400, "invalid_url");
        assertError(sub("{\"url\": \"not a url\", \"topics\": [\"people\"]}"), 400, "invalid_url");
        assertError(sub("{\"url\": " + hook + ", \"topics\": []}"), 400, "invalid_topics");
        assertError(sub("{\"url\": " + hook + ", \"topics\": [\"gossip\"]}"), 400, "invalid_topics");
        assertError(sub("{\"url\": " + hook + ", \"topics\": [7]}"), 400, "invalid_topics");
        assertError(
                sub("{\"url\": " + hook + ", \"topics\": [\"people\"], \"format\": \"xml\"}"), 400, "invalid_format");
        assertError(sub("{\"url\": " + hook + ", \"topics\": [\"people\"], \"extra\": 1}"), 400, "unknown_field");
        assertError(server.adminSend("DELETE", "/v1/admin/subscriptions/nope", null), 404, "unknown_subscription");
        String id = subscribe("[\"people\"]", "json").path("id").asText();
        assertThat(server.admin("/v1/admin/subscriptions").body()).contains(id).doesNotContain("whsec_");
        assertThat(server.adminSend("DELETE", "/v1/admin/subscriptions/" + id, null)
                        .status())
                .isEqualTo(204);
        addPerson("ann", "marketer");
        clock.advance(Duration.ofMinutes(2));
        assertThat(received).isEmpty();
    }

    private JsonNode subscribe(String topics, String format) {
        Http.Response r = sub("{\"url\": \"http://localhost:" + port() + "/hook\", \"topics\": " + topics
                + ", \"format\": \"" + format + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private Http.Response sub(String body) {
        return server.adminSend("POST", "/v1/admin/subscriptions", body);
    }

    private void addPerson(String name, String role) {
        assertThat(server.adminSend(
                                "POST",
                                "/v1/admin/people",
                                "{\"name\": \"" + name + "\", \"team\": \"marketing\", \"role\": \"" + role + "\"}")
                        .status())
                .isEqualTo(201);
    }

    private int port() {
        return receiver.port();
    }

    /** The documented recipe: HMAC-SHA256 over "<id>.<timestamp>.<body>" with the key after whsec_. */
    private static String signature(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        return "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(
                                (r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    }
}
