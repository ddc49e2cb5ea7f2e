package dev.tandem.connect;

import java.time.Instant;

/**
 * What became of one delivered item, as the connector says: delivered, to be tried again (not
 * before a time when the tool said so, such as a {@code Retry-After}), or rejected for good. The
 * {@code response} is what came back, kept with dead letters; a short text, never required.
 */
public sealed interface Outcome permits Outcome.Delivered, Outcome.Retry, Outcome.Rejected {
    String response();

    /** The tool acknowledged the item. */
    record Delivered(String response) implements Outcome {}

    /** A passing failure (timeout, 5xx, 408, 429, a refused connection): Tandem tries again with backoff. */
    record Retry(Instant notBefore, String reason, String response) implements Outcome {}

    /** The tool refused the item for good (a 4xx other than 408 and 429): kept as a dead letter at once. */
    record Rejected(String reason, String response) implements Outcome {}

    static Outcome delivered() {
        return new Delivered("");
    }
}
