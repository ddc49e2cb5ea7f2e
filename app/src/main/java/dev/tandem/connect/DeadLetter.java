package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a destination gave up on: why, after how many attempts, what Tandem had, what was sent
 * (after the policy gate; null when nothing was), what came back, and when it was replayed (0:
 * not yet).
 */
public record DeadLetter(long id, long outboxId, long profileId, Attempt attempt, JsonNode had, JsonNode sent) {
    /** When it was given up on, after how many attempts, why, what came back, and when it was replayed (0: not). */
    public record Attempt(long at, int attempts, String reason, String response, long replayedAt) {}
}
