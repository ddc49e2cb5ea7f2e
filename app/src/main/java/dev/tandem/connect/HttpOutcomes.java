package dev.tandem.connect;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How an HTTP answer becomes an {@link Outcome}, for connectors that speak HTTP: 2xx delivered;
 * 408, 429 and 5xx tried again, not before the {@code Retry-After} when there is one (seconds or an
 * HTTP date); any other status rejected at once, with the status and the start of the body kept;
 * a timeout or a refused connection tried again.
 */
public final class HttpOutcomes {
    private static final int KEPT = 500;

    private HttpOutcomes() {}

    public static Outcome of(HttpResponse<String> response, Instant now) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        String kept = "HTTP " + status + (body.isEmpty() ? "" : ": " + shortened(body));
        if (status / 100 == 2) {
            return new Outcome.Delivered(kept);
        }
        if (status == 408 || status == 429 || status / 100 == 5) {
            return new Outcome.Retry(retryAfter(response.headers(), now), "the tool answered " + kept, kept);
        }
        return new Outcome.Rejected("the tool refused it with " + kept, kept);
    }

    /** A request that got no answer: a timeout, a refused connection, a reset. */
    public static Outcome failed(IOException e, Duration timeout) {
        String reason = e instanceof HttpTimeoutException
                ? "no answer within " + timeout.toMillis() + " ms"
                : e instanceof ConnectException
                        ? "the connection was refused (" + e.getMessage() + ")"
                        : "the request failed: " + e;
        return new Outcome.Retry(null, reason, "");
    }

    /** When a {@code Retry-After} header says to come back, or null when there is none or it cannot be read. */
    static Instant retryAfter(HttpHeaders headers, Instant now) {
        String value = headers.firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.matches("\\d{1,7}")) {
            return now.plusSeconds(Long.parseLong(v));
        }
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String shortened(String text) {
        return text.length() <= KEPT ? text : text.substring(0, KEPT) + "...";
    }
}
