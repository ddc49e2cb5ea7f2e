package dev.tandem.feed;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.Http;
import dev.tandem.testing.Postgres;
import dev.tandem.testing.RouteServer;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where subscriptions may post, and how their URLs show: an internal address (loopback, private,
 * link-local such as the metadata service, unique-local, multicast, unspecified, shared) is refused
 * at subscription and again at delivery unless {@code subscriptionsAllowPrivate} says otherwise; and
 * a subscription's URL, a secret, shows as scheme and host only in listings and delivery errors.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class SubscriptionAddressTest {
    private static final String SECRET_PATH = "/services/T0001/B0002/s3cr3tk3y";

    private final StoreKind store;
    private final TestClock clock = TestClock.standard();
    private final AtomicInteger hits = new AtomicInteger();
    private final Map<String, String> settings = new HashMap<>();

    @TempDir
    Path dir;

    private RouteServer receiver;
    private TestServer server;

    SubscriptionAddressTest(StoreKind store) {
        this.store = store;
    }

    @BeforeEach
    void start() {
        receiver = RouteServer.start(app -> app.post(SECRET_PATH, ctx -> {
            hits.incrementAndGet();
            ctx.status(503);
        }));
        if (store == StoreKind.POSTGRESQL) {
            settings.put("databaseUrl", Postgres.freshDatabaseUrl());
        }
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.close();
    }

    @Test
    void internalAddressesAreRefusedAtSubscriptionUnlessAllowed() {
        server = start(false);
        for (String url : new String[] {
            "http://127.0.0.1:" + receiver.port() + SECRET_PATH,
            "http://localhost:" + receiver.port() + SECRET_PATH,
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/hook",
            "http://172.16.3.4/hook",
            "http://192.168.1.1/hook",
            "http://100.64.0.1/hook",
            "http://0.0.0.0/hook",
            "http://224.0.0.1/hook",
            "http://[::1]/hook",
            "http://[fe80::1]/hook",
            "http://[fd00:ec2::254]/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "https://nothing.invalid/hook"
        }) {
            Http.Response r = subscribe(url);
            assertError(r, 400, "internal_address");
            assertThat(r.json().at("/error/field").asText()).isEqualTo("url");
            assertThat(r.json().at("/error/message").asText())
                    .as(url)
                    .contains("subscriptionsAllowPrivate")
                    .doesNotContain(SECRET_PATH)
                    .doesNotContain("/hook")
                    .doesNotContain("meta-data");
        }
        assertThat(server.admin("/v1/admin/subscriptions").json().path("subscriptions"))
                .isEmpty();
        // a public address is taken (nothing is sent to it here: nothing happens after it)
        assertThat(subscribe("https://192.0.2.10" + SECRET_PATH).status()).isEqualTo(201);
    }

    @Test
    void theUrlShowsAsSchemeAndHostInListingsAndDeliveryErrors() {
        server = start(true);
        Http.Response made = subscribe("http://localhost:" + receiver.port() + SECRET_PATH);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().path("url").asText()).isEqualTo("http://localhost:" + receiver.port());
        JsonNode listed = server.admin("/v1/admin/subscriptions").json();
        assertThat(listed.at("/subscriptions/0/url").asText()).isEqualTo("http://localhost:" + receiver.port());
        assertThat(listed.toString()).doesNotContain(SECRET_PATH);

        addPerson("ann");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> hits.get() >= 1);
        String jobs = awaitFailure();
        assertThat(jobs).contains("http://localhost:" + receiver.port()).contains("answered 503");
        assertThat(jobs).doesNotContain(SECRET_PATH).doesNotContain("s3cr3tk3y");
        assertThat(server.admin("/v1/audit?limit=1000").body()).doesNotContain("s3cr3tk3y");
        assertThat(server.admin("/v1/feed").body()).doesNotContain("s3cr3tk3y");
    }

    @Test
    void anAddressThatTurnedInternalIsRefusedAtDelivery() {
        // subscribed while internal receivers were allowed; the setting is then turned off
        server = start(true);
        assertThat(subscribe("http://localhost:" + receiver.port() + SECRET_PATH)
                        .status())
                .isEqualTo(201);
        server.close();
        server = start(false);
        addPerson("ann");
        String jobs = awaitFailure();
        assertThat(jobs)
                .contains("not sent to the subscriber at http://localhost:" + receiver.port())
                .contains("resolves to 127.0.0.1")
                .contains("subscriptionsAllowPrivate")
                .doesNotContain(SECRET_PATH);
        clock.advance(Duration.ofMinutes(5));
        assertThat(hits.get()).isZero();
    }

    private TestServer start(boolean allowPrivate) {
        Map<String, String> values = new HashMap<>(settings);
        values.put("subscriptionsAllowPrivate", Boolean.toString(allowPrivate));
        return TestServer.start(store, dir, clock, values);
    }

    /** The failing feed.deliver job's listing, once it has failed. */
    private String awaitFailure() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> server.admin("/v1/admin/jobs").body().contains("feed.deliver"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() ->
                        !server.admin("/v1/admin/jobs").json().path("failing").isEmpty());
        return server.admin("/v1/admin/jobs").json().path("failing").toString();
    }

    private Http.Response subscribe(String url) {
        return server.adminSend(
                "POST", "/v1/admin/subscriptions", "{\"url\": \"" + url + "\", \"topics\": [\"people\"]}");
    }

    private void addPerson(String name) {
        assertThat(server.adminSend(
                                "POST",
                                "/v1/admin/people",
                                "{\"name\": \"" + name + "\", \"team\": \"marketing\", \"role\": \"marketer\"}")
                        .status())
                .isEqualTo(201);
    }
}
