package dev.tandem.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What a job's run says should happen to it: it is done (its row is deleted), or it runs again at a time. */
public sealed interface Next permits Next.Done, Next.Again {

    /** The job is finished; its row is deleted. */
    record Done() implements Next {}

    /** The job runs again at {@code at} as a first attempt, with {@code payload} when present, else the payload it had. */
    record Again(Instant at, Optional<String> payload) implements Next {
        public Again {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(payload, "payload (use Optional.empty() to keep the one it had)");
        }
    }

    static Next done() {
        return new Done();
    }

    static Next again(Instant at) {
        return new Again(at, Optional.empty());
    }

    static Next again(Instant at, String payload) {
        return new Again(at, Optional.ofNullable(payload));
    }
}
