package dev.tandem.schedule;

/** What became of one claimed job, written back by {@link Completion} in one transaction per claim. */
sealed interface Outcome permits Outcome.Finished, Outcome.Rearmed, Outcome.Failed, Outcome.Unrun {
    String key();

    /** It returned done: the row goes. */
    record Finished(String key) implements Outcome {}

    /** It returned again: a first attempt at {@code dueAt} with {@code payload}. */
    record Rearmed(String key, long dueAt, String payload) implements Outcome {}

    /** It threw: {@code attempt} is the next attempt, due at {@code dueAt} after the backoff. */
    record Failed(String key, int attempt, long dueAt, String error, long failedAt) implements Outcome {}

    /** It was claimed but not run, because the claim's time was half gone: free again at once. */
    record Unrun(String key) implements Outcome {}
}
