package dev.tandem.process;

/**
 * An event the pipeline set aside: its inbox seq and source, the stage that failed, why, when (epoch
 * ms), how many times it was tried, whether a replay is asked for, and when it was replayed (or null).
 */
public record SetAsideEvent(
        long seq,
        String sourceId,
        String stage,
        String reason,
        long setAsideAt,
        int attempts,
        boolean replayAsked,
        Long replayedAt) {}
