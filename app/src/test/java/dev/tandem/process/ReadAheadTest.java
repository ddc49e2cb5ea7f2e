package dev.tandem.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backlog applied through pages read ahead on the second core: every event once, identities
 * joined as without it, and what the resolver leaves out still counted. The processor's batches are
 * small here, so nearly every page comes back full and the next one is read ahead; a replay asked for
 * during a replay leaves a page read for a cursor that is no longer the processor's.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ReadAheadTest {
    private static final int CUSTOMERS = 40;
    private static final int ROUNDS = 6;

    private final StoreKind store;

    @TempDir
    Path dir;

    ReadAheadTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void aBacklogReadAheadAppliesEveryEventOnceAndJoinsTheSame() {
        try (TestServer server = TestServer.withWorkspace(store, dir, "server:\n  processBatchSize: 9\n")) {
            int invalid = 0;
            for (int round = 0; round < ROUNDS; round++) {
                StringBuilder batch = new StringBuilder("{\"batch\":[");
                for (int c = 0; c < CUSTOMERS; c++) {
                    String sep = c == 0 ? "" : ",";
                    if (round == 0) {
                        // a visitor first, known by the anonymous id only
                        batch.append(sep).append(track("\"anonymousId\":\"anon-" + c + "\"", "v-" + c));
                    } else if (round == 1) {
                        // then signs in: joins the visitor; every fifth gives an email that does not normalise
                        String email = c % 5 == 0 ? "not-an-email-" + c : "Customer" + c + "@Example.com";
                        invalid += c % 5 == 0 ? 1 : 0;
                        batch.append(sep)
                                .append("{\"type\":\"identify\",\"userId\":\"u-" + c + "\",\"anonymousId\":\"anon-" + c
                                        + "\",\"messageId\":\"i-" + c + "\",\"traits\":{\"email\":\"" + email
                                        + "\"}}");
                    } else {
                        batch.append(sep).append(track("\"userId\":\"u-" + c + "\"", "t-" + round + "-" + c));
                    }
                }
                assertThat(server.track("/v1/batch", batch.append("]}").toString())
                                .status())
                        .isEqualTo(200);
            }
            server.awaitProcessed();

            String metrics = server.admin("/metrics").body();
            assertThat(counter(metrics, "tandem_identity_invalid_total"))
                    .as("emails that do not normalise, counted once each")
                    .isEqualTo(invalid);
            assertProfiles(server);

            // a replay asked for while the replay before it runs through pages read ahead: the page read
            // for the old cursor is not the one after the new
            replay(server);
            long latest =
                    server.admin("/v1/admin/processor").json().path("latest").asLong();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> {
                        JsonNode status = server.admin("/v1/admin/processor").json();
                        long cursor = status.path("cursor").asLong();
                        // under way; or, on a machine fast enough to finish it between two polls, done
                        return (cursor > 20 && cursor < latest - 20) || !status.has("replayTarget");
                    });
            replay(server);
            server.awaitReplayed();
            assertProfiles(server);
            // a replay reads ahead whatever the machine's load: no tracking calls are coming in
            assertThat(counter(
                            server.admin("/metrics").body(),
                            "tandem_process_cpu_seconds_total\\{part=\"read-ahead\"\\}"))
                    .as("pages were read ahead")
                    .isGreaterThan(0);
        }
    }

    private static void replay(TestServer server) {
        assertThat(server.http()
                        .post("/v1/admin/replay", "", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                        .status())
                .isEqualTo(202);
    }

    private static void assertProfiles(TestServer server) {
        for (int c = 0; c < CUSTOMERS; c++) {
            String profile = server.profile("user_id:u-" + c, "metadata").json().toString();
            assertThat(server.profile("user_id:u-" + c, "metadata")
                            .json()
                            .path("events")
                            .asLong())
                    .as("customer %d: %s", c, profile)
                    .isEqualTo(ROUNDS);
            assertThat(server.profile("anonymous_id:anon-" + c, "metadata")
                            .json()
                            .toString())
                    .as("the visitor joined the customer")
                    .isEqualTo(profile);
            if (c % 5 != 0) {
                assertThat(server.profile("email:customer" + c + "@example.com", "metadata")
                                .json()
                                .toString())
                        .isEqualTo(profile);
            }
        }
    }

    private static String track(String who, String messageId) {
        return "{\"type\":\"track\",\"event\":\"Viewed\"," + who + ",\"messageId\":\"" + messageId + "\"}";
    }

    private static double counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.Ee+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
