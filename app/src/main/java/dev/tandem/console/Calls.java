package dev.tandem.console;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A page's loopback calls made at once, each on a virtual thread, so a page of seven panels waits for
 * its slowest call rather than for their sum (the command center's refresh: see docs/benchmarks.md).
 * Closing waits for every call started.
 */
final class Calls implements AutoCloseable {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** Starts {@code call}; the supplier answers its result, waiting for it if need be. */
    <T> Supplier<T> start(Callable<T> call) {
        Future<T> future = threads.submit(call);
        return () -> {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the API", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "A call of the API failed: " + e.getCause().getMessage(), e.getCause());
            }
        };
    }

    @Override
    public void close() {
        threads.close();
    }
}
