package dev.tandem.bench;

import java.time.Instant;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The events of the profile benchmarks, as stored inbox JSON. {@link #newProfiles} makes one
 * identify per customer (user id, anonymous id, email, traits): a million of them is a million
 * profiles. {@link #traffic} is what those customers then do, at random: orders and page views
 * by user id, anonymous page views, store purchases known only by a differently written email
 * (a new anonymous id to link), and trait updates. {@link #mixed} is the mix of issue 14: half new
 * customers, half orders and page views of known ones.
 */
final class ProfileWorkload {
    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    private ProfileWorkload() {}

    static Iterator<String> newProfiles(int customers) {
        return IntStream.range(0, customers)
                .mapToObj(c -> {
                    String at = START.plusSeconds(c).toString();
                    return "{\"type\":\"identify\",\"messageId\":\"p-" + c + "\",\"userId\":\"user-" + c
                            + "\",\"anonymousId\":\"anon-" + c
                            + "\",\"traits\":{\"email\":\"user" + c + "@example.com\",\"name\":\"Customer " + c
                            + "\",\"plan\":\"basic\"},"
                            + "\"timestamp\":\"" + at + "\",\"receivedAt\":\"" + at + "\"}";
                })
                .iterator();
    }

    /** Sequential and lazy: the events are made in order as the inbox takes them, from one seeded random. */
    static Iterator<String> traffic(int customers, int events, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return IntStream.range(0, events)
                .mapToObj(n -> {
                    int c = random.nextInt(customers);
                    String at = START.plusSeconds(customers + n).toString();
                    String head = "{\"messageId\":\"t-" + seed + "-" + n + "\",\"timestamp\":\"" + at
                            + "\",\"receivedAt\":\"" + at + "\",";
                    int kind = random.nextInt(100);
                    if (kind < 50) {
                        return head + "\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-" + c
                                + "\",\"anonymousId\":\"anon-" + c + "\",\"properties\":{\"revenue\":"
                                + (10 + random.nextInt(200)) + ",\"category\":\"c" + random.nextInt(8) + "\"}}";
                    }
                    if (kind < 75) {
                        return head + "\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"anon-" + c
                                + "\",\"properties\":{\"path\":\"/\"}}";
                    }
                    if (kind < 90) {
                        return head + "\"type\":\"track\",\"event\":\"Order Completed\",\"anonymousId\":\"pos-" + seed
                                + "-" + n + "\",\"context\":{\"traits\":{\"email\":\" USER" + c
                                + "@Example.com\"}},\"properties\":{\"revenue\":25}}";
                    }
                    return head + "\"type\":\"identify\",\"userId\":\"user-" + c + "\",\"traits\":{\"plan\":\""
                            + (random.nextBoolean() ? "gold" : "silver") + "\"}}";
                })
                .iterator();
    }

    /**
     * Issue 14's mix, sequential and lazy: every other event is a new customer's identify (user id,
     * anonymous id, email, phone and traits; customers numbered from {@code firstNew}), the others are
     * orders by user id and page views by anonymous id of the {@code known} customers, at random.
     */
    static Iterator<String> mixed(int known, int firstNew, int events, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return IntStream.range(0, events)
                .mapToObj(n -> {
                    String at = START.plusSeconds(firstNew + n).toString();
                    String head = "{\"messageId\":\"m-" + seed + "-" + n + "\",\"timestamp\":\"" + at
                            + "\",\"receivedAt\":\"" + at + "\",";
                    if (n % 2 == 0) {
                        int c = firstNew + n / 2;
                        return head + "\"type\":\"identify\",\"userId\":\"user-" + c + "\",\"anonymousId\":\"anon-" + c
                                + "\",\"traits\":{\"email\":\"user" + c + "@example.com\",\"phone\":\"+1415"
                                + (2_000_000 + c % 8_000_000)
                                + "\",\"name\":\"Customer " + c + "\",\"plan\":\"basic\"}}";
                    }
                    int c = random.nextInt(known);
                    if (random.nextBoolean()) {
                        return head + "\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-" + c
                                + "\",\"properties\":{\"revenue\":" + (10 + random.nextInt(200)) + ",\"category\":\"c"
                                + random.nextInt(8) + "\"}}";
                    }
                    return head + "\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"anon-" + c
                            + "\",\"properties\":{\"path\":\"/\"}}";
                })
                .iterator();
    }
}
