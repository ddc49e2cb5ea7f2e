package dev.tandem.collect;

import dev.tandem.error.BadRequest;
import dev.tandem.error.RequestTimeout;
import dev.tandem.error.Unavailable;
import io.javalin.http.Context;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * most {@link #MAX_READING} bodies are awaited at once (503 beyond).
 */
public final class BodyReader {
    /** Bodies being received at once; a body takes no thread while it waits, only its bytes so far. */
    static final int MAX_READING = 2_000;

    private final Duration timeout;
    private final AtomicInteger reading = new AtomicInteger();

    /** @param timeout how long a client has to send a whole body */
    public BodyReader(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Receives a request's body, decodes it ({@code Content-Encoding: gzip} or none) and hands it to
     * {@code then}: at once when it arrived whole with its headers, else on the thread that receives
     * its last byte, with no thread held while it trickles in. For routes that a public write key
     * reaches, where a slow body must not cost a worker.
     *
     * @param limit     the largest body, uncompressed, in bytes
     * @param limitCode the error code when it is larger, naming the limit
     * @param limitName the limit in words, for the message
     */
    public void receive(
            Context ctx, int limit, String limitCode, String limitName, java.util.function.Consumer<byte[]> then) {
        String encoding = ctx.header("Content-Encoding");
        // A compressed body may be a little larger than what it holds; the decoded size is checked again.
        int rawLimit = encoding == null || encoding.isBlank() ? limit : limit + limit / 16;
        Arrived arrived = arrived(ctx, rawLimit, limitCode, limitName);
        if (arrived.whole()) {
            then.accept(RequestBody.read(
                    new java.io.ByteArrayInputStream(arrived.bytes().toByteArray()),
                    encoding,
                    limit,
                    limitCode,
                    limitName));
            return;
        }
        // Inside the supplier: Javalin has started async processing by then, which non-blocking reads need.
        ctx.future(() -> rest(ctx, arrived, rawLimit, limitCode, limitName)
                .thenAccept(bytes -> then.accept(RequestBody.read(
                        new java.io.ByteArrayInputStream(bytes), encoding, limit, limitCode, limitName))));
    }

    /**
     * What has already arrived of a body, read without waiting. Why: most bodies come whole with
     * their headers, and reading those at once skips the async hand-over, which cost about 8% of
     * ingest at batch 100 (bench ingest, same run). Only a body still on its way goes async.
     */
    private Arrived arrived(Context ctx, int limit, String limitCode, String limitName) {
        long announced = ctx.req().getContentLengthLong();
        if (announced > limit) {
            throw tooLarge(limit, limitCode, limitName);
        }
        // Sized for what is announced, up to 64 KB: an announced size alone must not reserve memory.
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(announced > 0 ? (int) Math.min(announced, 64 * 1024) : 16 * 1024);
        try {
            ServletInputStream in = ctx.req().getInputStream();
            byte[] chunk = new byte[16 * 1024];
            // available() fills from the socket without blocking; reading at most that much never blocks either.
            for (int ready; !in.isFinished() && (ready = in.available()) > 0; ) {
                int n = in.read(chunk, 0, Math.min(ready, chunk.length));
                if (n < 0) {
                    break;
                }
                if (bytes.size() + n > limit) {
                    throw tooLarge(limit, limitCode, limitName);
                }
                bytes.write(chunk, 0, n);
            }
            boolean whole = in.isFinished() || (announced >= 0 && bytes.size() == announced);
            return new Arrived(bytes, whole);
        } catch (IOException e) {
            throw interrupted(e);
        }
    }

    /** A body read so far: its bytes, and whether that is all of it. */
    private record Arrived(ByteArrayOutputStream bytes, boolean whole) {}

    /**
     * The rest of a body that had not fully arrived, received without a thread: the raw body (still
     * compressed when it was sent so), at most {@code limit} bytes; completes exceptionally with a
     * {@link BadRequest} when larger, {@link RequestTimeout} when too slow. Call it once Javalin has
     * started async processing (inside {@code ctx.future}).
     */
    private CompletableFuture<byte[]> rest(
            Context ctx, Arrived arrived, int limit, String limitCode, String limitName) {
        if (reading.incrementAndGet() > MAX_READING) {
            reading.decrementAndGet();
            throw new Unavailable(
                    "too_many_uploads",
                    "Tandem is receiving " + MAX_READING
                            + " request bodies at once; retry after the Retry-After delay.",
                    Duration.ofSeconds(2),
                    false,
                    null);
        }
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        try {
            ServletInputStream in = ctx.req().getInputStream();
            in.setReadListener(new Collecting(in, body, arrived.bytes(), limit, limitCode, limitName));
        } catch (IOException | RuntimeException e) {
            reading.decrementAndGet();
            throw interrupted(e);
        }
        return body.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((bytes, failure) -> reading.decrementAndGet())
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        unwrapped(failure) instanceof TimeoutException
                                ? new RequestTimeout(
                                        "body_timeout",
                                        "The request body did not arrive within " + timeout.toSeconds()
                                                + " s; send it in one go, or smaller batches on a slow link.")
                                : unwrapped(failure)));
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    private static BadRequest interrupted(Throwable cause) {
        return new BadRequest(
                "body_interrupted",
                "The connection failed before the whole body arrived ("
                        + cause.getClass().getSimpleName() + "); send the request again.");
    }

    private static BadRequest tooLarge(int limit, String limitCode, String limitName) {
        return new BadRequest(
                limitCode,
                "The body is larger than " + limitName + " (" + limit + " bytes uncompressed); "
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

        Collecting(
                ServletInputStream in,
                CompletableFuture<byte[]> body,
                ByteArrayOutputStream soFar,
                int limit,
                String limitCode,
                String limitName) {
            this.in = in;
            this.body = body;
            this.bytes = soFar;
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
            // The client went away or broke the request mid-body: its own problem, not a server failure to log.
            body.completeExceptionally(interrupted(failure));
        }
    }
}
