package dev.tandem.server;

import dev.tandem.config.JsonText;
import dev.tandem.error.Unavailable;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What keeps the HTTP server answering under load and abuse: a cap on open connections below the
 * process's file descriptors, a worker pool with a bounded queue,
 * a reserve of workers that only {@code /health}, {@code /ready} and {@code /metrics} may use (other
 * requests get 503 with {@code Retry-After} when the pool is down to it, instead of queueing
 * without bound), and Jetty's own error answers (bad request line, URL or headers too long, unknown
 * HTTP version) in the same JSON shape as every other error.
 */
final class HttpGuards {
    /** Worker threads at most (Jetty's default is 200, which Javalin keeps). */
    static final int MAX_WORKERS = 200;
    /** Workers kept for the operations routes: a request of any other kind is refused when fewer are free. */
    static final int RESERVED_FOR_OPERATIONS = 16;
    /** Requests waiting for a worker before Jetty refuses connections outright. */
    static final int MAX_QUEUED = 4_096;

    private static final Set<String> OPERATIONS = Set.of("/health", "/ready", "/metrics");

    private final QueuedThreadPool workers;

    HttpGuards() {
        this.workers = new QueuedThreadPool(MAX_WORKERS, 8, 60_000, new BlockingArrayQueue<>(256, 256, MAX_QUEUED));
        workers.setName("tandem-http");
    }

    void configure(JavalinConfig javalin) {
        javalin.jetty.threadPool = workers;
        javalin.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrors());
            server.addBean(new org.eclipse.jetty.server.ConnectionLimit(maxConnections(), server));
        });
        javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrors()));
    }

    /**
     * Open connections at most: three quarters of the file descriptors this process may hold, less
     * 200 for the store, the key store and logs. Why: past the descriptor limit Jetty cannot accept
     * at all and the store cannot open files, so thousands of idle connections (headers sent a byte
     * at a time) would take everything down; at this limit Jetty only stops accepting for a while.
     */
    static int maxConnections() {
        long descriptors = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : 4_096;
        return (int) Math.max(256, Math.min(100_000, descriptors * 3 / 4 - 200));
    }

    /** A before-handler: refuses work other than operations while the pool is down to its reserve. */
    void admit(Context ctx) {
        if (OPERATIONS.contains(ctx.path())) {
            return;
        }
        int free = workers.getMaxAvailableThreads() - workers.getUtilizedThreads();
        if (free < RESERVED_FOR_OPERATIONS) {
            throw new Unavailable(
                    "server_busy",
                    "Every worker of this Tandem server is busy; retry after the Retry-After delay.",
                    Duration.ofSeconds(1),
                    false,
                    null);
        }
    }

    /** Jetty's error answers as {@code {"error": {"code", "message", "field"}}}. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(json(status, reason).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        protected void generateAcceptableResponse(
                Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
                throws IOException {
            baseRequest.setHandled(true);
            response.setContentType("application/json");
            response.getOutputStream().write(json(code, message).getBytes(StandardCharsets.UTF_8));
        }

        private static String json(int status, String reason) {
            String message = switch (status) {
                case 400 ->
                    "The request is not valid HTTP" + (reason == null ? "" : " (" + reason + ")")
                            + "; check the request line and headers.";
                case 408 -> "The request did not arrive in time; send it again.";
                case 413 -> "The request is larger than Tandem accepts; split it into smaller requests.";
                case 414 -> "The URL is longer than Tandem accepts (8 KB); send long values in the body.";
                case 431 ->
                    "The request headers are larger than Tandem accepts (8 KB in all); send fewer or shorter headers.";
                case 505 -> "Tandem speaks HTTP/1.0 and HTTP/1.1; send the request with one of them.";
                default -> "The request failed" + (reason == null ? "" : " (" + reason + ")") + ".";
            };
            String code = switch (status) {
                case 400 -> "bad_http";
                case 408 -> "request_timeout";
                case 413 -> "request_too_large";
                case 414 -> "url_too_long";
                case 431 -> "headers_too_large";
                case 505 -> "http_version_not_supported";
                default -> "http_" + status;
            };
            return JsonText.of(ErrorMapper.body(code, message, null));
        }
    }
}
