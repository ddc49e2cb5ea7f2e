package dev.tandem.collect;

import dev.tandem.error.BadRequest;
import dev.tandem.error.RequestTimeout;
import dev.tandem.error.Unavailable;
import io.javalin.http.Context;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads tracking bodies without holding a worker thread while their bytes arrive. Why: a blocking
 * read keeps a thread for as long as the client takes, so a few hundred clients that announce a
 * large body and send a byte every few seconds used to take every worker, and {@code /health}
 * stopped answering. Here the bytes are collected by Jetty's non-blocking callbacks; a worker only
 * runs once the whole body is in. A body must arrive within the timeout (408 otherwise), and at
 * most {@link #MAX_READING} bodies are read at once (503 beyond, before anything is read).
 */
final class BodyReader {
    /** Bodies being received at once; a body takes no thread while it waits, only its bytes so far. */
    static final int MAX_READING = 2_000;

    private final Duration timeout;
    private final AtomicInteger reading = new AtomicInteger();

    BodyReader(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The raw body (still compressed when it was sent so), at most {@code limit} bytes; completes
     * exceptionally with a {@link BadRequest} when larger, {@link RequestTimeout} when too slow.
     */
    CompletableFuture<byte[]> read(Context ctx, int limit, String limitCode, String limitName) {
        long announced = ctx.req().getContentLengthLong();
        if (announced > limit) {
            throw tooLarge(limit, limitCode, limitName);
        }
        if (reading.incrementAndGet() > MAX_READING) {
            reading.decrementAndGet();
            throw new Unavailable("too_many_uploads", "Tandem is receiving " + MAX_READING
                    + " request bodies at once; retry after the Retry-After delay.", Duration.ofSeconds(2), false, null);
        }
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        try {
            ServletInputStream in = ctx.req().getInputStream();
            in.setReadListener(new Collecting(in, body, announced > 0 ? (int) announced : 16 * 1024, limit, limitCode, limitName));
        } catch (IOException e) {
            reading.decrementAndGet();
            throw new UncheckedIOException("Could not start reading the request body", e);
        }
        return body.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((bytes, failure) -> reading.decrementAndGet())
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(unwrapped(failure) instanceof TimeoutException
                        ? new RequestTimeout("body_timeout", "The request body did not arrive within " + timeout.toSeconds()
                                + " s; send it in one go, or smaller batches on a slow link.")
                        : unwrapped(failure)));
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static BadRequest tooLarge(int limit, String limitCode, String limitName) {
        return new BadRequest(limitCode, "The body is larger than " + limitName + " (" + limit + " bytes uncompressed); "
                + "split it into smaller requests.");
    }

    /** Jetty calls these one at a time for one request, so the buffer needs no lock. */
    private static final class Collecting implements ReadListener {
        private final ServletInputStream in;
        private final CompletableFuture<byte[]> body;
        private final ByteArrayOutputStream bytes;
        private final byte[] chunk = new byte[16 * 1024];
        private final int limit;
        private final String limitCode;
        private final String limitName;

        Collecting(ServletInputStream in, CompletableFuture<byte[]> body, int expected, int limit, String limitCode, String limitName) {
            this.in = in;
            this.body = body;
            this.bytes = new ByteArrayOutputStream(Math.min(expected, limit));
            this.limit = limit;
            this.limitCode = limitCode;
            this.limitName = limitName;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!body.isDone() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                if (bytes.size() + n > limit) {
                    body.completeExceptionally(tooLarge(limit, limitCode, limitName));
                    return;
                }
                bytes.write(chunk, 0, n);
            }
        }

        @Override
        public void onAllDataRead() {
            body.complete(bytes.toByteArray());
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }
    }
}
