package dev.tandem.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.config.ConfigException;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tandem refuses to start over data whose keys are not in the key store, and names the setting to fix. */
class KeyStoreCheckTest {
    @TempDir
    Path dir;

    @Test
    void aMissingEmptyOrForeignKeysDbRefusesToStartAndTheRightOneStartsAgain() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        Path saved = dir.resolve("saved-keys");
        try (TestServer server = start(data, keys)) {
            server.track(
                    "/v1/identify",
                    "{\"userId\": \"u-ann\", \"traits\": {\"email\": \"ann@example.com\", \"name\": \"Ann Lee\"}}");
            server.awaitProcessed();
        }
        copy(keys, saved);

        deleteKeysDb(keys);
        assertThatThrownBy(() -> start(data, keys))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys.db was missing or empty")
                .hasMessageContaining("keyStore (TANDEM_KEY_STORE)")
                .hasMessageContaining("Restore keys.db");

        deleteKeysDb(keys);
        Files.write(keys.resolve("keys.db"), new byte[0]);
        assertThatThrownBy(() -> start(data, keys))
                .as("an empty keys.db")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys.db was missing or empty")
                .hasMessageContaining("keyStore (TANDEM_KEY_STORE)");

        Path otherData = dir.resolve("other-data");
        Path otherKeys = dir.resolve("other-keys");
        start(otherData, otherKeys).close();
        assertThatThrownBy(() -> start(data, otherKeys))
                .as("another installation's whole key store")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not the one this data was written with")
                .hasMessageContaining("keyStore (TANDEM_KEY_STORE)");

        deleteKeysDb(keys);
        copy(saved, keys);
        try (TestServer server = start(data, keys)) {
            assertThat(server.profile("email:ann@example.com", "traits")
                            .json()
                            .path("traits")
                            .path("name")
                            .asText())
                    .as("the right keys.db back: the customer is found and decrypted")
                    .isEqualTo("Ann Lee");
        }
    }

    private static TestServer start(Path data, Path keys) {
        return TestServer.start(StoreKind.SQLITE, data, Clock.systemUTC(), Map.of("keyStore", keys.toString()));
    }

    private static void deleteKeysDb(Path keys) throws IOException {
        for (String name : new String[] {"keys.db", "keys.db-wal", "keys.db-shm"}) {
            Files.deleteIfExists(keys.resolve(name));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
