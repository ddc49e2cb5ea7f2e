package dev.tandem.decide;

import dev.tandem.error.Unavailable;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per write key on {@code /v1/decide}: {@code perSecond} decisions a second on
 * average, {@code burst} at once. The write key is public (it ships in every page), so this is
 * what keeps one key from turning decide into a bulk query. In memory, per server: buckets are
 * made only for keys of known sources, so unknown keys cannot grow the map.
 */
public record DecideRate(int perSecond, int burst) {
    /** The default: 50 a second, bursts of 100. */
    public static final DecideRate DEFAULT = new DecideRate(50, 100);

    /** The buckets of one server. */
    static final class Buckets {
        private final DecideRate rate;
        private final Clock clock;
        private final Map<String, Bucket> byKey = new ConcurrentHashMap<>();

        Buckets(DecideRate rate, Clock clock) {
            this.rate = rate;
            this.clock = clock;
        }

        /** Takes one token for the key, or answers 429 with the seconds until the next one. */
        void take(String writeKey) {
            long waitMillis = byKey.computeIfAbsent(writeKey, k -> new Bucket(rate.burst(), clock.millis()))
                    .take(rate, clock.millis());
            if (waitMillis > 0) {
                throw new Unavailable(
                        "rate_limited",
                        "This write key made more than " + rate.perSecond() + " decisions a second (bursts of "
                                + rate.burst() + "); slow down and retry after the Retry-After header's seconds.",
                        Duration.ofMillis(waitMillis).plusMillis(999),
                        true,
                        null);
            }
        }
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        /** 0 when a token was taken, else the milliseconds until one is there. */
        synchronized long take(DecideRate rate, long now) {
            tokens = Math.min(rate.burst(), tokens + (now - at) * rate.perSecond() / 1000.0);
            at = Math.max(at, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * 1000.0 / rate.perSecond());
        }
    }
}
