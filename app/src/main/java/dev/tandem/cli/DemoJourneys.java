package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.config.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's journeys: a welcome series for every new customer (entered on their first identify)
 * and a care follow-up within 48 hours of a detractor's NPS answer, both sending to a webhook the
 * demo starts on a free local port, which counts what it received by message id (the send id).
 */
final class DemoJourneys implements AutoCloseable {
    private final HttpServer server;
    private final Set<String> received = ConcurrentHashMap.newKeySet();

    DemoJourneys() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                Json.mapper()
                        .readTree(new String(body, StandardCharsets.UTF_8))
                        .path("batch")
                        .forEach(m -> received.add(m.path("messageId").asText()));
            } catch (IOException e) {
                // a body that is not JSON counts as nothing received; Tandem always sends JSON
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** The destination and the two journeys, appended to the demo's workspace. */
    String workspace() {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/journeys";
        return """
                  - key: journey_hook
                    type: webhook
                    owners: [it-integrations]
                    settings: { url: "%s", secret: "whsec_ZGVtby1qb3VybmV5cy1kZW1vLWpvdXJuZXlzLWRlbW8=" }
                    purposes: [analytics]
                frequencyCaps: { email: 2 }
                journeys:
                  - key: welcome
                    name: Welcome series
                    owners: [marketing, it]
                    entry: { event: "type == 'identify'" }
                    reentry: once
                    holdout: 10
                    goal: { event: "event == 'Order Completed'", within: 14d }
                    steps:
                      - send: { destination: journey_hook, channel: email, message: { template: welcome_1 } }
                      - wait: 2d
                      - branch:
                          - when: "has(computed.orders_30d) && computed.orders_30d > 0"
                            steps: [ { exit: converted } ]
                      - send: { destination: journey_hook, channel: email, message: { template: welcome_2 } }
                  - key: nps_care
                    name: Care follow-up for detractors
                    owners: [service, marketing]
                    entry: { event: "event == 'Survey Answered' && (properties.survey == 'nps' || properties.survey == 'NPS') && properties.score <= 6" }
                    reentry: after 30d
                    holdout: 10
                    goal: { event: "event == 'Order Completed'", within: 30d }
                    steps:
                      - send: { destination: journey_hook, channel: care, exempt: true, message: { template: sorry_to_hear } }
                      - wait: 1d
                      - send: { destination: journey_hook, channel: care, exempt: true, message: { template: call_back_offer } }
                """.formatted(url);
    }

    /** The journeys section of the demo's summary: each journey's steps with their counts. */
    void show(AdminClient admin, String url, String token) throws InterruptedException {
        // the summary shows the sends once they are walked and received, not half-way: the runner works
        // between the processor's batches, after the events that entered the customers
        long until = System.nanoTime() + 20_000_000_000L;
        while (!settled(admin) && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        System.out.println("  journeys (docs/journeys.md), sending to a local webhook that received " + received.size()
                + " distinct messages:");
        for (JsonNode j : admin.get("/v1/journeys").path("journeys")) {
            String key = j.path("key").asText();
            JsonNode stats = admin.get("/v1/journeys/" + key + "/stats");
            StringBuilder line = new StringBuilder("    " + key + ":");
            for (JsonNode s : stats.path("steps")) {
                line.append(" ")
                        .append(s.path("step").asText())
                        .append(' ')
                        .append(s.path("kind").asText())
                        .append(' ')
                        .append(s.path("entered").asLong())
                        .append(
                                s.path("sent").asLong() + s.path("held").asLong() > 0
                                        ? " (sent " + s.path("sent").asLong() + ", held "
                                                + s.path("held").asLong() + ")"
                                        : "")
                        .append(';');
            }
            System.out.println(line);
        }
        System.out.println("    ./tandem journeys list --server " + url + " --token " + token
                + "   (dryrun KEY, pause KEY, resume KEY)");
    }

    /** True when every entrant of every send step has been sent, held, capped, denied or failed, and the sends arrived. */
    private boolean settled(AdminClient admin) {
        long sent = 0;
        for (JsonNode j : admin.get("/v1/journeys").path("journeys")) {
            for (JsonNode s : admin.get("/v1/journeys/" + j.path("key").asText() + "/stats")
                    .path("steps")) {
                if (!s.path("kind").asText().equals("send")) {
                    continue;
                }
                long done = 0;
                for (String outcome : new String[] {"sent", "held", "capped", "denied", "failed"}) {
                    done += s.path(outcome).asLong();
                }
                if (done < s.path("entered").asLong()) {
                    return false;
                }
                sent += s.path("sent").asLong();
            }
        }
        return received.size() >= sent;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
