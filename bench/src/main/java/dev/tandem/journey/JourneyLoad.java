package dev.tandem.journey;

import java.time.Instant;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * What the journey benchmarks send and declare: customers who sign up, then order, browse and answer
 * surveys; and ten journeys of the kinds a team runs at once (welcome series, order follow-ups keyed
 * by order id, care after a low score, win-back, a split test), every one entered by this traffic.
 */
final class JourneyLoad {
    private static final Instant START = Instant.now().minusSeconds(3_600);

    private JourneyLoad() {}

    /** One identify per customer, as the first event a new customer sends. */
    static Iterator<String> signUps(int customers) {
        return IntStream.range(0, customers)
                .mapToObj(c -> "{\"type\":\"identify\",\"messageId\":\"s-" + c + "\",\"userId\":\"user-" + c
                        + "\",\"traits\":{\"email\":\"user" + c + "@example.com\",\"plan\":\""
                        + (c % 3 == 0 ? "pro" : "basic") + "\",\"timezone\":\"Europe/Paris\"},\"timestamp\":\""
                        + START.plusMillis(c) + "\"}")
                .iterator();
    }

    /**
     * {@code events} events of the known customers, from one seeded random: 40% orders (with an
     * order id), 30% page views, 20% survey answers (scores 0 to 10), 10% sign-ups of new customers
     * numbered from {@code customers}.
     */
    static Iterator<String> traffic(int customers, int events, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] fresh = {customers};
        return IntStream.range(0, events)
                .mapToObj(n -> {
                    int kind = random.nextInt(10);
                    if (kind == 0) {
                        int c = fresh[0]++;
                        return "{\"type\":\"identify\",\"messageId\":\"t-" + seed + "-" + n + "\",\"userId\":\"user-"
                                + c + "\",\"traits\":{\"email\":\"user" + c + "@example.com\",\"plan\":\"basic\"}}";
                    }
                    String head = "{\"messageId\":\"t-" + seed + "-" + n + "\",\"userId\":\"user-"
                            + random.nextInt(customers) + "\",";
                    if (kind < 5) {
                        return head
                                + "\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\"o-"
                                + seed + "-" + n + "\",\"total\":" + (10 + random.nextInt(200)) + "}}";
                    }
                    if (kind < 8) {
                        return head + "\"type\":\"page\",\"name\":\"Home\",\"properties\":{\"path\":\"/\"}}";
                    }
                    return head + "\"type\":\"track\",\"event\":\"Survey Answered\",\"properties\":{\"survey\":\"nps\","
                            + "\"score\":" + random.nextInt(11) + "}}";
                })
                .iterator();
    }

    /** Ten journeys, each entered by {@link #traffic}; sends go to the file destination {@code sink}. */
    static String tenJourneys() {
        StringBuilder y = new StringBuilder("frequencyCaps: { email: 3 }\njourneys:\n");
        String[] entries = {
            "{ event: \"type == 'identify'\" }",
            "{ event: \"event == 'Order Completed'\", key: \"properties.order_id\" }",
            "{ event: \"event == 'Survey Answered' && properties.score <= 6\" }",
            "{ event: \"event == 'Survey Answered' && properties.score >= 9\" }",
            "{ event: \"event == 'Order Completed' && properties.total > 150\" }",
        };
        for (int j = 0; j < 10; j++) {
            y.append("  - key: j")
                    .append(j)
                    .append("\n    owners: [marketing, it]\n    entry: ")
                    .append(entries[j % entries.length])
                    .append("\n    reentry: ")
                    .append(j % 2 == 0 ? "once" : "always")
                    .append("\n    holdout: 10\n    goal: { event: \"event == 'Order Completed'\", within: 14d }\n")
                    .append("    exitWhen: \"event == 'Unsubscribed'\"\n    steps:\n")
                    .append("      - send: { destination: sink, channel: email, message: { template: t")
                    .append(j)
                    .append("_1 } }\n")
                    .append("      - branch:\n")
                    .append("          - when: \"has(computed.orders_30d) && computed.orders_30d > 2\"\n")
                    .append("            steps: [ { exit: loyal } ]\n")
                    .append("      - split:\n")
                    .append("          - { name: a, percent: 50, steps: [ { wait: 1d } ] }\n")
                    .append("          - { name: b, percent: 50, steps: [ { wait: 2d } ] }\n")
                    .append("      - send: { destination: sink, channel: email, message: { template: t")
                    .append(j)
                    .append("_2 } }\n");
        }
        return y.toString();
    }

    /** A journey entered on an audience of every customer with an email, branching and splitting. */
    static String audienceJourney() {
        return """
                audiences:
                  - { key: customers, name: Customers, owners: [marketing], condition: "has(traits.email)" }
                journeys:
                  - key: reach
                    owners: [marketing, it]
                    entry: { audience: customers }
                    holdout: 10
                    steps:
                      - branch:
                          - when: "has(traits.plan) && traits.plan == 'pro'"
                            steps: [ { send: { destination: sink, channel: email, message: { template: pro } } } ]
                          - otherwise: true
                            steps: [ { send: { destination: sink, channel: email, message: { template: basic } } } ]
                      - wait: 1d
                      - split:
                          - { name: a, percent: 30, steps: [ { send: { destination: sink, channel: email, message: { template: a } } } ] }
                          - { name: b, percent: 70, steps: [ { exit: control } ] }
                """;
    }
}
