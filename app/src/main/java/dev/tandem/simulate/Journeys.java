package dev.tandem.simulate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * What one customer does across channels over the simulated days, as Segment spec events:
 * web sessions that log in part way, the app with device ids, email clicks and surveys, a voice
 * assistant, store purchases keyed by email or phone, and call-center contacts keyed by phone.
 */
final class Journeys {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[][] PRODUCTS = {
        {"p-100", "Trail Shoe", "89.00", "Shoes"},
        {"p-200", "Rain Jacket", "149.00", "Outerwear"},
        {"p-300", "Wool Socks", "12.50", "Accessories"},
        {"p-400", "Day Pack", "64.00", "Bags"},
        {"p-500", "Thermos", "24.00", "Accessories"}
    };

    /** What a survey asks about, for the KPIs' touchpoint dimension. */
    static final String[] TOUCHPOINTS = {"checkout", "delivery", "support", "app"};

    private final RandomGenerator random;
    private final Instant start;
    private final int days;
    private final List<SimulatedEvent> out = new ArrayList<>();

    Journeys(RandomGenerator random, Instant start, int days) {
        this.random = random;
        this.start = start;
        this.days = days;
    }

    /** Every event of every customer, oldest first. */
    List<SimulatedEvent> of(List<Customer> customers) {
        for (Customer c : customers) {
            Duration skew = random.nextInt(10) == 0 ? Duration.ofMinutes(random.nextInt(-600, 600)) : Duration.ZERO;
            for (int day = 0; day < days; day++) {
                if (random.nextDouble() < (c.loyal() ? 0.6 : 0.25)) {
                    Instant at = start.plus(Duration.ofDays(day)).plusSeconds(random.nextInt(8 * 3600, 22 * 3600));
                    session(c, at, skew);
                }
            }
        }
        out.sort(java.util.Comparator.comparing(SimulatedEvent::at));
        return out;
    }

    private void session(Customer c, Instant at, Duration skew) {
        int channel = random.nextInt(100);
        if (channel < 45) {
            web(c, at);
        } else if (channel < 65) {
            app(c, at, skew, c.phoneDeviceId(), c.advertisingId());
        } else if (channel < 70 && c.sharedTabletId() != null) {
            app(c, at, Duration.ZERO, c.sharedTabletId(), null);
        } else if (channel < 80) {
            email(c, at);
        } else if (channel < 85 && c.voiceId() != null) {
            voice(c, at);
        } else if (channel < 95) {
            store(c, at);
        } else {
            call(c, at);
        }
    }

    private void web(Customer c, Instant at) {
        String anonymousId = c.browserIds().get(random.nextInt(c.browserIds().size()));
        boolean logsIn = random.nextInt(10) < 4;
        add(c, at, page(anonymousId, null, "Home"));
        ObjectNode viewed = track(anonymousId, null, "Product Viewed", product());
        add(c, at.plusSeconds(20), viewed);
        if (logsIn) {
            ObjectNode identify = event("identify", anonymousId, c.userId());
            identify.set("traits", traits(c));
            // the site's consent banner, as Segment's consent management sends it; seven in ten accept
            // advertising (from the person, not the random stream, so the rest of the simulation is unchanged)
            identify.putObject("context")
                    .putObject("consent")
                    .putObject("categoryPreferences")
                    .put("Advertising", Math.floorMod(c.personId().hashCode(), 10) < 7)
                    .put("Analytics", true)
                    .put("Functional", true);
            add(c, at.plusSeconds(60), identify);
            if (random.nextInt(4) == 0) {
                add(c, at.plusSeconds(200), track(anonymousId, c.userId(), "Order Completed", order()));
            }
        }
    }

    private void app(Customer c, Instant at, Duration skew, String deviceId, String advertisingId) {
        String anonymousId = "app-" + deviceId;
        String userId = random.nextInt(10) < 7 ? c.userId() : null;
        ObjectNode opened = track(
                anonymousId, userId, "Application Opened", JSON.objectNode().put("from_background", false));
        ObjectNode device =
                JSON.objectNode().put("id", deviceId).put("type", "ios").put("manufacturer", "Apple");
        if (advertisingId != null) {
            device.put("advertisingId", advertisingId);
        }
        for (ObjectNode e : new ObjectNode[] {
            opened, screen(anonymousId, userId, "Home"), track(anonymousId, userId, "Product Viewed", product())
        }) {
            e.putObject("context").set("device", device.deepCopy());
            out.add(new SimulatedEvent(at, c.personId(), e, skew));
            at = at.plusSeconds(15);
        }
    }

    private void email(Customer c, Instant at) {
        String anonymousId = "esp-" + Integer.toHexString(c.email().hashCode());
        ObjectNode click = track(
                anonymousId,
                null,
                "Email Link Clicked",
                JSON.objectNode()
                        .put("campaign", "autumn-" + random.nextInt(4))
                        .put("link_url", "https://shop.example.com/sale"));
        click.putObject("context").putObject("traits").put("email", Messiness.email(c.email(), random));
        add(c, at, click);
        if (random.nextInt(3) == 0) {
            boolean nps = random.nextBoolean();
            ObjectNode survey = track(
                    anonymousId,
                    null,
                    "Survey Answered",
                    JSON.objectNode()
                            .put("survey", nps ? "NPS" : "CSAT")
                            .put("score", nps ? random.nextInt(11) : 1 + random.nextInt(5))
                            .put(
                                    "question",
                                    nps
                                            ? "How likely are you to recommend us?"
                                            : "How satisfied were you with your last order?"));
            // the touchpoint asked about, from the person and the time, not the random stream, so the rest of
            // the simulation is unchanged
            survey.with("properties").put("touchpoint", TOUCHPOINTS[Math.floorMod((c.personId() + at).hashCode(), 4)]);
            ObjectNode context = survey.putObject("context");
            context.put("channel", "email");
            context.putObject("traits").put("email", Messiness.email(c.email(), random));
            add(c, at.plusSeconds(90), survey);
        }
    }

    private void voice(Customer c, Instant at) {
        String userId = random.nextBoolean() ? c.userId() : null;
        ObjectNode command = track(
                c.voiceId(),
                userId,
                "Voice Command Received",
                JSON.objectNode()
                        .put("intent", random.nextBoolean() ? "OrderStatus" : "Reorder")
                        .put("assistant", "alexa"));
        add(c, at, command);
    }

    private void store(Customer c, Instant at) {
        ObjectNode order = track("pos-" + Population.hex(random, 12), null, "Order Completed", order());
        ObjectNode traits = order.putObject("context").putObject("traits");
        boolean placeholder = random.nextInt(20) == 0;
        if (random.nextInt(10) < 7) {
            traits.put("email", placeholder ? Messiness.placeholderEmail(random) : Messiness.email(c.email(), random));
        } else {
            traits.put(
                    "phone",
                    placeholder ? Messiness.placeholderPhone(random) : Messiness.phone(c.phoneDigits(), random));
        }
        ((ObjectNode) order.get("properties"))
                .put("channel", "store")
                .put("store_id", "store-" + (1 + random.nextInt(12)));
        add(c, at, order);
    }

    private void call(Customer c, Instant at) {
        ObjectNode call = track(
                "call-" + Population.hex(random, 12),
                null,
                "Call Completed",
                JSON.objectNode()
                        .put("reason", random.nextBoolean() ? "delivery" : "returns")
                        .put("duration_seconds", 60 + random.nextInt(900)));
        call.putObject("context").putObject("traits").put("phone", Messiness.phone(c.phoneDigits(), random));
        add(c, at, call);
    }

    private ObjectNode traits(Customer c) {
        return JSON.objectNode()
                .put("email", Messiness.email(c.email(), random))
                .put("firstName", c.firstName())
                .put("lastName", c.lastName())
                .put("phone", Messiness.phone(c.phoneDigits(), random));
    }

    private ObjectNode product() {
        String[] p = PRODUCTS[random.nextInt(PRODUCTS.length)];
        return JSON.objectNode()
                .put("product_id", p[0])
                .put("sku", p[0] + "-" + (1 + random.nextInt(3)))
                .put("name", p[1])
                .put("price", Double.parseDouble(p[2]))
                .put("category", p[3])
                .put("currency", "USD");
    }

    private ObjectNode order() {
        ObjectNode order = JSON.objectNode()
                .put("order_id", "o-" + Population.hex(random, 10))
                .put("currency", "USD");
        var products = order.putArray("products");
        double total = 0;
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            ObjectNode p = product();
            int quantity = 1 + random.nextInt(2);
            p.put("quantity", quantity);
            products.add(p);
            total += p.get("price").asDouble() * quantity;
        }
        return order.put("total", Math.round(total * 100) / 100.0).put("revenue", Math.round(total * 100) / 100.0);
    }

    private ObjectNode page(String anonymousId, String userId, String name) {
        ObjectNode page = event("page", anonymousId, userId).put("name", name);
        page.putObject("properties").put("path", "/").put("url", "https://shop.example.com/");
        return page;
    }

    private ObjectNode screen(String anonymousId, String userId, String name) {
        return event("screen", anonymousId, userId).put("name", name);
    }

    private ObjectNode track(String anonymousId, String userId, String name, ObjectNode properties) {
        ObjectNode track = event("track", anonymousId, userId).put("event", name);
        track.set("properties", properties);
        return track;
    }

    private ObjectNode event(String type, String anonymousId, String userId) {
        ObjectNode e = JSON.objectNode()
                .put("type", type)
                .put("messageId", UUID.randomUUID().toString())
                .put("anonymousId", anonymousId);
        if (userId != null) {
            e.put("userId", userId);
        }
        return e;
    }

    private void add(Customer c, Instant at, ObjectNode json) {
        out.add(new SimulatedEvent(at, c.personId(), json, Duration.ZERO));
    }
}
