package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Http;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** No default password: the first start makes a token, shows it once, and it keeps working. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AdminTokenTest {
    private final StoreKind store;

    @TempDir
    Path dir;

    AdminTokenTest(StoreKind store) {
        this.store = store;
    }

    @Test
    void theFirstStartGeneratesATokenShownOnceThatSurvivesRestarts() {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("port", "0");
        settings.put("data", dir.toString());
        settings.put("keyStore", dir.resolve("keys").toString());
        if (store == StoreKind.POSTGRESQL) {
            settings.put("databaseUrl", dev.tandem.testing.Postgres.freshDatabaseUrl());
        }
        ServerConfig config = ServerConfig.resolve(settings, Map.of(), Map.of());
        String token;
        try (Tandem first = Tandem.start(config, Workspace.empty(), Clock.systemUTC())) {
            token = first.newAdminToken();
            assertThat(token).startsWith("tdm_").hasSizeGreaterThan(40);
            Http http = new Http("http://localhost:" + first.port());
            assertThat(http.get("/v1/events", "Authorization", "Bearer " + token)
                            .status())
                    .isEqualTo(200);
            assertThat(http.get("/v1/events", "Authorization", "Bearer " + token + "x")
                            .status())
                    .isEqualTo(401);
        }
        try (Tandem second = Tandem.start(config, Workspace.empty(), Clock.systemUTC())) {
            assertThat(second.newAdminToken()).isNull();
            Http http = new Http("http://localhost:" + second.port());
            assertThat(http.get("/v1/events", "Authorization", "Bearer " + token)
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aConfiguredTokenIsUsedAndNothingIsPrinted() {
        try (TestServer server = TestServer.start(store, dir)) {
            assertThat(server.tandem().newAdminToken()).isNull();
            assertThat(server.admin("/v1/events").status()).isEqualTo(200);
            assertThat(server.tandem().sources().list())
                    .extracting(s -> s.name())
                    .isEqualTo(List.of("test"));
        }
    }
}
