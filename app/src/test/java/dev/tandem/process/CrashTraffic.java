package dev.tandem.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The same mix every run (a fixed seed): each customer is first an anonymous visitor, then identifies
 * with user id, email, phone and traits, then is merged with the visitor by an identify that carries
 * both ids, then orders and views pages, sometimes changes plan from a new device known by its email alone; a few visitors later
 * claim another customer's email (a merge the user-id limit refuses). Customers are interleaved at
 * random, so one batch touches many profiles and a profile is touched in many batches.
 */
final class CrashTraffic {
    private static final long START = 1_780_000_000_000L;

    private CrashTraffic() {}

    /** Bodies of {@code /v1/batch}, {@code size} events each (the last batch padded with page views). */
    static List<String> batches(int customers, int size) {
        Random random = new Random(14);
        List<ArrayDeque<String>> queues = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            queues.add(customer(i, customers, random));
        }
        List<String> events = new ArrayList<>();
        List<ArrayDeque<String>> open = new ArrayList<>(queues);
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            events.add(open.get(pick).poll());
            if (open.get(pick).isEmpty()) {
                open.set(pick, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
        }
        while (events.size() % size != 0) {
            events.add(track("anonymousId", "anon-0", "Page Viewed", "{\"path\":\"/pad\"}"));
        }
        List<String> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); from += size) {
            StringBuilder body = new StringBuilder("{\"batch\":[");
            for (int n = from; n < from + size; n++) {
                String event = events.get(n);
                body.append(n == from ? "" : ",")
                        .append(event, 0, event.length() - 1)
                        .append(",\"messageId\":\"crash-")
                        .append(n)
                        .append("\",\"timestamp\":\"")
                        .append(java.time.Instant.ofEpochMilli(START + n * 1_000L))
                        .append("\"}");
            }
            batches.add(body.append("]}").toString());
        }
        return batches;
    }

    /** The identifiers a snapshot reads: each customer's user id, anonymous id and email. */
    static List<String> identifiers(int customers) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            ids.add("user_id:user-" + i);
            ids.add("anonymous_id:anon-" + i);
            ids.add("email:" + email(i));
        }
        return ids;
    }

    private static ArrayDeque<String> customer(int i, int customers, Random random) {
        ArrayDeque<String> q = new ArrayDeque<>();
        String anon = "anon-" + i;
        String user = "user-" + i;
        q.add(track("anonymousId", anon, "Page Viewed", "{\"path\":\"/landing\"}"));
        q.add("{\"type\":\"identify\",\"userId\":\"" + user + "\",\"traits\":{\"email\":\"" + email(i)
                + "\",\"phone\":\"+44207946" + String.format("%04d", i) + "\",\"name\":\"Customer " + i
                + "\",\"plan\":\"basic\"}}");
        q.add("{\"type\":\"identify\",\"userId\":\"" + user + "\",\"anonymousId\":\"" + anon
                + "\",\"traits\":{\"plan\":\"" + (random.nextInt(3) == 0 ? "pro" : "basic") + "\"}}");
        int more = 8 + random.nextInt(20);
        for (int e = 0; e < more; e++) {
            int kind = random.nextInt(10);
            if (kind < 4) {
                q.add(track("userId", user, "Order Completed", "{\"revenue\":" + (10 + random.nextInt(90)) + "}"));
            } else if (kind < 8) {
                q.add(track("anonymousId", anon, "Page Viewed", "{\"path\":\"/p/" + random.nextInt(50) + "\"}"));
            } else if (kind < 9) {
                q.add("{\"type\":\"identify\",\"anonymousId\":\"mail-" + i + "-" + e + "\",\"traits\":{\"email\":\""
                        + email(i) + "\",\"plan\":\"" + (random.nextBoolean() ? "pro" : "basic") + "\",\"visits\":" + e
                        + "}}");
            } else if (random.nextInt(10) == 0) {
                q.add("{\"type\":\"identify\",\"anonymousId\":\"" + anon + "\",\"traits\":{\"email\":\""
                        + email(random.nextInt(customers)) + "\"}}");
            } else {
                q.add(track("userId", user, "Product Viewed", "{\"sku\":\"s-" + random.nextInt(200) + "\"}"));
            }
        }
        return q;
    }

    private static String email(int i) {
        return "customer" + i + "@example.com";
    }

    private static String track(String idField, String id, String event, String properties) {
        return "{\"type\":\"track\",\"" + idField + "\":\"" + id + "\",\"event\":\"" + event + "\",\"properties\":"
                + properties + "}";
    }
}
