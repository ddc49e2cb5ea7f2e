package dev.tandem.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of tests that want a fresh {@link TestServer} per test on a given store. With
 * {@code @ParameterizedClass @EnumSource(StoreKind.class)} a subclass runs on both stores.
 */
public abstract class ServerPerTest {
    private final StoreKind store;

    @TempDir
    protected Path dir;

    protected TestServer server;

    protected ServerPerTest(StoreKind store) {
        this.store = store;
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(store, dir);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
