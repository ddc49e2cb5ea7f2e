package dev.tandem.people;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Failed sign-ins, counted in memory. A name is locked for {@link #LOCKED_FOR} after
 * {@link #FAILURES_TO_LOCK} failures in a row, whether or not anyone has that name (so a lockout
 * tells nothing about who exists); an address is throttled after {@link #ADDRESS_FAILURES} failures
 * within {@link #WINDOW}, whatever names it tries. Both maps keep the most recent 10,000 keys: an
 * attacker cycling through more names or addresses than that gets throttled per address anyway.
 */
final class SignInThrottle {
    static final int FAILURES_TO_LOCK = 5;
    static final Duration LOCKED_FOR = Duration.ofMinutes(15);
    static final int ADDRESS_FAILURES = 50;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final int KEPT = 10_000;

    private final Clock clock;
    private final Map<String, long[]> names = bounded();
    private final Map<String, long[]> addresses = bounded();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Admits one attempt, counted as a failure at once (a success takes it back), or says how long
     * {@code name} or {@code address} must wait. Why counted before the password is checked: the
     * check takes tens of milliseconds, and attempts sent in parallel would all pass a check made
     * before any of them failed.
     */
    synchronized Duration admit(String name, String address) {
        long now = clock.millis();
        long[] n = names.get(key(name));
        long nameWait = n != null && n[1] > now ? n[1] - now : 0;
        long[] a = addresses.get(address);
        long addressWait = a != null && a[0] >= ADDRESS_FAILURES && a[1] + WINDOW.toMillis() > now
                ? a[1] + WINDOW.toMillis() - now
                : 0;
        Duration wait = Duration.ofMillis(Math.max(nameWait, addressWait));
        if (wait.isZero()) {
            failed(name, address);
        }
        return wait;
    }

    private void failed(String name, String address) {
        long now = clock.millis();
        long[] n = names.computeIfAbsent(key(name), k -> new long[2]);
        n[0]++;
        if (n[0] >= FAILURES_TO_LOCK) {
            n[0] = 0;
            n[1] = now + LOCKED_FOR.toMillis();
        }
        long[] a = addresses.computeIfAbsent(address, k -> new long[] {0, now});
        if (a[1] + WINDOW.toMillis() <= now) {
            a[0] = 0;
            a[1] = now;
        }
        a[0]++;
    }

    synchronized void succeeded(String name, String address) {
        names.remove(key(name));
        long[] a = addresses.get(address);
        if (a != null && a[0] > 0) {
            a[0]--;
        }
    }

    /** An admin issued a new link: the name may try again at once. */
    synchronized void unlock(String name) {
        names.remove(key(name));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static Map<String, long[]> bounded() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > KEPT;
            }
        };
    }
}
