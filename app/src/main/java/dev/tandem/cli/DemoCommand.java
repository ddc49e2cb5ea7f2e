package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.collect.Source;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.config.Json;
import dev.tandem.server.ServerConfig;
import dev.tandem.server.Tandem;
import dev.tandem.server.Workspace;
import dev.tandem.simulate.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem demo}: a server on the embedded store in a fresh data directory, a source, simulated
 * customers fed into it, and what to try next.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start Tandem on a fresh embedded store, feed it simulated customers, and show what to try.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--customers",
            defaultValue = "200",
            description = "simulated customers (default: ${DEFAULT-VALUE})")
    int customers;

    @Option(
            names = "--days",
            defaultValue = "14",
            description = "days of simulated history (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--exit", description = "stop after feeding the data instead of serving until Ctrl-C")
    boolean exit;

    private static final String DEMO_WORKSPACE = """
            # The demo's workspace: default identity rules, a few computed traits, audiences, a
            # placement with rules and an experiment, a destination writing JSON Lines, and two journeys.
            profiles:
              computedTraits:
                - name: orders_30d
                  aggregate: count
                  event: Order Completed
                  window: 30d
                - name: lifetime_revenue
                  aggregate: sum
                  property: properties.revenue
                  event: Order Completed
                - name: favourite_category
                  aggregate: most_frequent
                  property: properties.category
                - name: last_nps
                  aggregate: last
                  property: properties.score
                  event: Survey Answered
            audiences:
              - key: big_spenders
                name: Big spenders
                owners: [marketing]
                condition: computed.lifetime_revenue >= 300
              - key: detractors
                name: Unhappy customers (NPS 0-6)
                owners: [customer-care]
                condition: has(computed.last_nps) && computed.last_nps <= 6
              - key: app_and_web
                name: Uses the app and the website
                owners: [marketing]
                condition: '"web" in channels && "mobile" in channels'
            placements:
              - key: home_hero
                name: Home page hero
                owners: [marketing]
                rules:
                  - name: care first for unhappy customers
                    when: '"detractors" in audiences'
                    variant: we_are_listening
                    content: {headline: "We hear you: free returns on us"}
                  - name: private sale for big spenders
                    when: '"big_spenders" in audiences'
                    variant: private_sale
                    content: {headline: Your private sale starts today}
                default: {variant: new_season, content: {headline: The new season is here}}
                experiment:
                  key: hero_copy
                  name: Hero copy test
                  goal: Order Completed
                  variants:
                    - {key: control, weight: 50, control: true}
                    - {key: trail_story, weight: 50, content: {headline: Made for the trail}}
            kpis:
              - key: nps
                name: Likelihood to recommend
                owners: [marketing, it]
                type: nps
                events: "event == 'Survey Answered' && properties.survey == 'NPS'"
                value: properties.score
                by: {touchpoint: properties.touchpoint, channel: context.channel, audience: audiences}
                target: 40
              - key: csat
                name: Satisfied with the last order (4 or 5 of 5)
                owners: [marketing, it]
                type: top_box
                events: "event == 'Survey Answered' && properties.survey == 'CSAT'"
                value: properties.score
                scale: [1, 5]
                box: [4, 5]
                by: {touchpoint: properties.touchpoint}
                target: 80
              - key: view_to_order
                name: Product views followed by an order within a day
                owners: [marketing]
                type: conversion
                denominator: "event == 'Product Viewed'"
                numerator: "event == 'Order Completed'"
                window: 1d
                target: 10
            destinations:
              - key: warehouse
                type: file
                owners: [it-data]
                settings: {directory: exports/warehouse, format: jsonl}
                purposes: [analytics]
                events: event == 'Order Completed'
                audiences: [big_spenders]
                mapping:
                  traits.tier: "has(computed.lifetime_revenue) && computed.lifetime_revenue > 500 ? 'gold' : 'std'"
            """;

    /** A destination's health once the processor caught up and the destination delivered what it is owed, or after 30 seconds. */
    private static JsonNode drained(AdminClient admin, String key) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode health = admin.get("/v1/destinations/" + key + "/health");
            boolean processed =
                    admin.get("/v1/admin/processor").path("lagEvents").asLong() == 0;
            if (processed && health.path("backlog").asLong() == 0 || System.nanoTime() > until) {
                return health;
            }
            Thread.sleep(200);
        }
    }

    /** The user id of the first simulated customer, read from the truth file. */
    private static String firstUser(Path data) throws java.io.IOException {
        try (var lines = Files.lines(data.resolve("truth.jsonl"))) {
            String first = lines.findFirst().orElse(null);
            return first == null
                    ? "u000001"
                    : Json.mapper().readTree(first).at("/identifiers/user_id").asText();
        }
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("tandem-demo-");
        Map<String, String> options = new HashMap<>();
        options.put("port", Integer.toString(port));
        options.put("data", data.toString());
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("TANDEM_DATABASE_URL");
        ServerConfig config = ServerConfig.resolve(options, env, Map.of());
        Path workspace = data.resolve("tandem.yaml");
        DemoJourneys journeys = new DemoJourneys();
        Files.writeString(workspace, DEMO_WORKSPACE + journeys.workspace());
        Tandem tandem = Tandem.start(config, Workspace.load(workspace), Clock.systemUTC());
        String url = "http://localhost:" + tandem.port();
        Source web = tandem.sources().create(new SourceDeclaration("demo-web", null));
        System.out.println("Tandem demo on " + url + " (embedded store in " + data + ")");
        ServeCommand.printNewToken(tandem);
        new Simulation(customers, days, 0, url, web.writeKey(), data.resolve("truth.jsonl"), 42)
                .run(Json.mapper(), Clock.systemUTC(), System.out);
        String token = tandem.newAdminToken() != null ? tandem.newAdminToken() : "$TANDEM_ADMIN_TOKEN";
        System.out.println();
        System.out.println("Try it:");
        System.out.println("  source 'demo-web', write key: " + web.writeKey());
        System.out.println("  send an event:");
        System.out.println("    curl -u " + web.writeKey() + ": -H 'Content-Type: application/json' \\");
        System.out.println(
                "      -d '{\"userId\":\"u000001\",\"event\":\"Order Completed\",\"properties\":{\"total\":42}}' " + url
                        + "/v1/track");
        System.out.println("  read the stored events:");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' '" + url + "/v1/events?limit=5'");
        System.out.println(
                "  refused events:  curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/quarantine");
        System.out.println(
                "  a bad event costs only itself (the good one is stored, the other refused with its reason):");
        System.out.println("    curl -u " + web.writeKey()
                + ": -d '{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Good\"},"
                + "{\"type\":\"track\",\"userId\":\"u2\",\"event\":\"Bad\",\"timestamp\":\"-999999999-01-01T00:00:00Z\"}]}' "
                + url + "/v1/batch");
        System.out.println("    events the pipeline set aside:  curl -H 'Authorization: Bearer " + token + "' " + url
                + "/v1/admin/processor/set-aside");
        System.out.println("  metrics:         " + url + "/metrics     readiness: " + url + "/ready");
        System.out.println("  a unified profile (web, app, store, call center joined):");
        System.out.println(
                "    ./tandem profile show user_id:" + firstUser(data) + " --server " + url + " --token " + token);
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/profiles/user_id:"
                + firstUser(data) + "/traits");
        System.out.println("  audiences with sizes, and who is in one:");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/audiences");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' '" + url
                + "/v1/audiences/big_spenders/members?format=csv'");
        System.out.println("  a personalization decision, with its reasons:");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' -H 'Content-Type: application/json' \\");
        System.out.println("      -d '{\"placement\":\"home_hero\",\"userId\":\"" + firstUser(data) + "\"}' " + url
                + "/v1/decide");
        System.out.println(
                "    (a page's write key gets the variant only, and a userId only with a token its backend signed: docs/decide.md)");
        System.out.println("  experiment results: curl -H 'Authorization: Bearer " + token + "' " + url
                + "/v1/experiments/hero_copy/results");
        System.out.println("  IT's guardrails: what an ad platform may receive about this customer, and why:");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' -H 'Content-Type: application/json' "
                + url + "/v1/admin/policy/check \\");
        System.out.println(
                "      -d '{\"flow\":{\"kind\":\"destination\",\"name\":\"ads\",\"purposes\":[\"advertising\"],\"riskTier\":\"high\"},"
                        + "\"subject\":\"user_id:" + firstUser(data)
                        + "\",\"payload\":{\"traits\":{\"email\":\"Ann@Example.com\",\"first_name\":\"Ann\",\"plan\":\"pro\"}}}'");
        System.out.println("    consent:  curl -H 'Authorization: Bearer " + token + "' " + url
                + "/v1/profiles/user_id:" + firstUser(data) + "/consent");
        System.out.println("    fields for a steward to review:  curl -H 'Authorization: Bearer " + token + "' '" + url
                + "/v1/admin/fields?status=unreviewed'");
        System.out.println(
                "    the policy in force:  curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/admin/policy");
        System.out.println("    a customer's erasure request (docs/privacy.md):  curl -H 'Authorization: Bearer "
                + token + "' " + url + "/opendsr/discovery");
        System.out.println("    keys (apart from the data): " + config.keyStore());
        System.out.println(
                "  processing lag:  curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/admin/processor");
        System.out.println("  work due at a time (audience computation, privacy requests), failures and retries:");
        System.out.println("    curl -H 'Authorization: Bearer " + token + "' " + url + "/v1/admin/jobs");
        System.out.println("    (new audience: curl ... -X POST " + url
                + "/v1/admin/audiences, then watch audience.compute; docs/architecture.md)");
        System.out.println("  workspace with computed traits, audiences and placements: " + workspace
                + " (change it, restart, ./tandem replay)");
        Path loyalty = Files.writeString(data.resolve("loyalty.csv"), """
                member_id,email,tier,joined
                u000001,ann@example.com,gold,03/02/2021
                u000002,bob@example.com,silver,31/02/2022
                u000003,cy@example.com,bronze,14/07/2023
                """);
        Path mapping = Files.writeString(data.resolve("loyalty.yaml"), """
                fields:
                  type: { value: identify }
                  userId: member_id
                  traits.email: email
                  traits.loyalty_tier: tier
                  traits.member_since: { from: joined, as: timestamp, format: dd/MM/yyyy }
                """);
        System.out.println(
                "  import a loyalty export (a CSV with a mapping; line 3 holds a date that does not exist):");
        System.out.println("    ./tandem import " + loyalty + " --source demo-web --mapping " + mapping + " --server "
                + url + " --token " + token);
        System.out.println("  more customers:  ./tandem simulate --customers 1000 --target " + url + " --write-key "
                + web.writeKey());
        AdminClient admin = new AdminClient(
                url, tandem.newAdminToken() != null ? tandem.newAdminToken() : System.getenv("TANDEM_ADMIN_TOKEN"));
        JsonNode health = drained(admin, "warehouse");
        System.out.println(
                "  a destination: 'warehouse' wrote " + health.path("delivered").asLong()
                        + " orders and audience changes (with a mapped traits.tier) as JSON Lines to "
                        + data.resolve("exports/warehouse") + " ("
                        + health.path("state").asText() + ", "
                        + health.path("backlog").asLong() + " waiting):");
        System.out.println("    ./tandem destinations health --server " + url + " --token " + token);
        System.out.println("    add one through the API: ./tandem destinations add hook.json --server " + url
                + " --token " + token + " (docs/destinations.md)");
        journeys.show(admin, url, token);
        DemoPeople.show(admin, url, token);
        DemoChanges.show(admin, url, token);
        DemoKpis.show(admin, url, token);
        if (exit) {
            tandem.close();
            journeys.close();
            return 0;
        }
        System.out.println();
        System.out.println("Serving until Ctrl-C.");
        ServeCommand.awaitShutdown(tandem);
        return 0;
    }
}
