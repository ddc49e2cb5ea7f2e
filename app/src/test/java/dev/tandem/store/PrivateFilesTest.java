package dev.tandem.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What Tandem creates on disk only its own user can read; wider modes an operator chose are kept, with a warning. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFirstStartCreatesTheDataAndTheKeyStoreForTheOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("keys");
        try (TestServer server =
                TestServer.start(StoreKind.SQLITE, data, Clock.systemUTC(), Map.of("keyStore", keys.toString()))) {
            server.track("/v1/identify", "{\"userId\": \"u-ann\", \"traits\": {\"email\": \"ann@example.com\"}}");
            server.awaitProcessed();
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(keys)).isEqualTo("rwx------");
            for (Path file : new Path[] {
                data.resolve("tandem.db"),
                data.resolve("tandem.db-wal"),
                data.resolve("tandem.db-shm"),
                data.resolve("inbox.db"),
                data.resolve("inbox.db-wal"),
                data.resolve("inbox.db-shm"),
                keys.resolve("master-key.json"),
                keys.resolve("keys.db"),
                keys.resolve("keys.db-wal"),
                keys.resolve("keys.db-shm")
            }) {
                assertThat(file).exists();
                assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void widerModesChosenBeforeAreKeptAndWarnedAbout() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(
                data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Logger logger = (Logger) LoggerFactory.getLogger(PrivateFiles.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        try (TestServer server = TestServer.start(
                StoreKind.SQLITE,
                data,
                Clock.systemUTC(),
                Map.of("keyStore", dir.resolve("keys").toString()))) {
            assertThat(mode(data)).as("the operator's choice stays").isEqualTo("rwxr-xr-x");
            assertThat(mode(data.resolve("tandem.db")))
                    .as("what Tandem creates in it is private")
                    .isEqualTo("rw-------");
        } finally {
            logger.detachAppender(warnings);
        }
        assertThat(warnings.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains(data.toString()) && m.contains("chmod 700"));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
