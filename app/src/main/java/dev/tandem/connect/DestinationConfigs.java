package dev.tandem.connect;

import dev.tandem.config.ConfigNode;
import dev.tandem.error.BadRequest;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Vocabulary;
import dev.tandem.govern.Flow;
import dev.tandem.govern.Qualified;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads tandem.yaml's {@code destinations:} section, every wrong value an error with its line:
 * <pre>
 * destinations:
 *   - key: crm
 *     type: webhook
 *     owners: [it-integrations]
 *     settings: { url: "https://crm.example/hook", secret: "${CRM_SECRET}" }
 *     purposes: [personalization]
 *     riskTier: medium
 *     events: "event in ['Order Completed', 'Signed Up']"
 *     identifies: true
 *     audiences: [big_spenders]
 *     mapping: { "traits.tier": "computed.lifetime_revenue > 500 ? 'gold' : 'std'" }
 *     retryWindow: 4h
 *     sla: { deliveredRatio: 0.999, latencyP95: 60s, maxBacklogAge: 5m, window: 1h, alertUrl: "https://..." }
 * </pre>
 */
public final class DestinationConfigs {
    private static final Set<String> FIELDS = Set.of(
            "key",
            "type",
            "owners",
            "settings",
            "purposes",
            "riskTier",
            "events",
            "identifies",
            "audiences",
            "mapping",
            "retryWindow",
            "sla",
            "conditions");
    private static final Set<String> CONDITION_FIELDS = Set.of("hash", "drop", "mask", "expiresAt");
    private static final Set<String> SLA_FIELDS =
            Set.of("deliveredRatio", "latencyP95", "maxBacklogAge", "window", "alertUrl");
    private static final String KEY_RULE = "lower-case letters, digits, '-' and '_', at most 64, such as 'crm'";

    private DestinationConfigs() {}

    /**
     * @param purposes the purposes of the catalog, which a destination's must be among
     * @param env      the environment, for {@code ${NAME}} in settings
     */
    public static List<DestinationConfig> from(
            ConfigNode section,
            Expressions expressions,
            Connectors connectors,
            Set<String> purposes,
            Function<String, String> env) {
        List<DestinationConfig> out = new ArrayList<>();
        if (section.isMissing()) {
            return out;
        }
        Rules rules = new Rules(expressions, connectors, purposes, env);
        Set<String> keys = new HashSet<>();
        for (ConfigNode item : section.list("'destinations'")) {
            DestinationConfig c = one(item, rules);
            if (!keys.add(c.key())) {
                throw item.get("key")
                        .error("the destination key '" + c.key() + "' is used twice; keys must be unique.");
            }
            out.add(c);
        }
        return out;
    }

    /**
     * What a destination's declaration is checked against: the CEL compiler, the connector types,
     * the purposes of the catalog (a destination's must be among them) and the environment, for
     * {@code ${NAME}} in settings.
     */
    public record Rules(
            Expressions expressions, Connectors connectors, Set<String> purposes, Function<String, String> env) {}

    /** One destination, as tandem.yaml or the admin API declares it; a wrong value is an error at its path. */
    static DestinationConfig one(ConfigNode item, Rules rules) {
        item.fields(FIELDS, "a destination");
        String key = item.get("key").text("'key'");
        if (!key.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw item.get("key").error("a destination key is " + KEY_RULE + ".");
        }
        Connectors connectors = rules.connectors();
        String typeName = item.get("type").text("'type'");
        ConnectorType type = connectors
                .named(typeName)
                .orElseThrow(() -> item.get("type")
                        .error("unknown destination type '" + typeName + "'; the types are " + connectors.names()
                                + " (tandem destinations types lists their settings)."));
        Settings settings = Settings.read(type, item.get("settings"), rules.env());
        java.util.Optional<String> problem = type.problem(settings);
        if (problem.isPresent()) {
            throw item.get("settings").error(problem.get());
        }
        List<String> owners = texts(item.get("owners"), "'owners'");
        if (owners.isEmpty()) {
            throw item.error("the destination '" + key
                    + "' needs 'owners', such as [it-integrations]: every object names who answers for it.");
        }
        List<String> served = purposes(item.get("purposes"), type, rules.purposes());
        return new DestinationConfig(
                key,
                new DestinationConfig.Connection(
                        type,
                        settings,
                        item.get("retryWindow").isMissing()
                                ? Duration.ofHours(4)
                                : item.get("retryWindow").duration("'retryWindow'")),
                new DestinationConfig.Subscription(
                        events(item.get("events"), rules.expressions()),
                        !item.get("identifies").isMissing()
                                && item.get("identifies").bool("'identifies'"),
                        texts(item.get("audiences"), "'audiences'"),
                        DestinationMapping.from(item.get("mapping"), key, rules.expressions())),
                new DestinationConfig.Ownership(
                        owners, served, tier(item.get("riskTier")), conditions(item.get("conditions"))),
                sla(item.get("sla")));
    }

    private static List<String> purposes(ConfigNode node, ConnectorType type, Set<String> catalog) {
        List<String> served = texts(node, "'purposes'");
        for (int i = 0; i < served.size(); i++) {
            String p = served.get(i);
            if (!catalog.contains(p)) {
                throw node.get(Integer.toString(i))
                        .error("'" + p + "' is not a purpose of the catalog; the purposes are " + catalog + ".");
            }
            if (!type.needs().purposes().isEmpty() && !type.needs().purposes().contains(p)) {
                throw node.get(Integer.toString(i))
                        .error("a " + type.name() + " destination serves only "
                                + type.needs().purposes() + ".");
            }
        }
        return served;
    }

    /** What an approval attached: {@code {hash: [email], drop: [phone], mask: [...], expiresAt: <instant>}}. */
    private static Qualified conditions(ConfigNode node) {
        if (node.isMissing()) {
            return Qualified.NONE;
        }
        node.fields(CONDITION_FIELDS, "'conditions' (hash, drop, mask, expiresAt)");
        long expires = Long.MAX_VALUE;
        if (!node.get("expiresAt").isMissing()) {
            String at = node.get("expiresAt").text("'expiresAt'");
            try {
                expires = java.time.Instant.parse(at).toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                throw node.get("expiresAt").error("'expiresAt' is an instant such as 2027-01-31T00:00:00Z.");
            }
        }
        return new Qualified(
                texts(node.get("hash"), "'hash'"),
                texts(node.get("drop"), "'drop'"),
                texts(node.get("mask"), "'mask'"),
                expires);
    }

    private static Flow.RiskTier tier(ConfigNode node) {
        if (node.isMissing()) {
            return Flow.RiskTier.MEDIUM;
        }
        String name = node.text("'riskTier'");
        for (Flow.RiskTier t : Flow.RiskTier.values()) {
            if (t.wireName().equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw node.error("'riskTier' must be low, medium or high.");
    }

    private static Expression events(ConfigNode node, Expressions expressions) {
        if (node.isMissing()) {
            return null;
        }
        try {
            return expressions.compile(node.text("'events'"), Vocabulary.DELIVERY, "events");
        } catch (BadRequest e) {
            throw node.error(e.getMessage());
        }
    }

    private static DestinationConfig.Sla sla(ConfigNode node) {
        DestinationConfig.Sla d = DestinationConfig.Sla.DEFAULT;
        if (node.isMissing()) {
            return d;
        }
        node.fields(SLA_FIELDS, "'sla'");
        double ratio = d.deliveredRatio();
        ConfigNode r = node.get("deliveredRatio");
        if (!r.isMissing()) {
            if (!r.node().isNumber() || r.node().asDouble() <= 0 || r.node().asDouble() >= 1) {
                throw r.error("'deliveredRatio' must be a number between 0 and 1, such as 0.999.");
            }
            ratio = r.node().asDouble();
        }
        Optional<URI> alert = Optional.empty();
        if (!node.get("alertUrl").isMissing()) {
            alert = Optional.of(SettingSpec.url("alertUrl", null, "").reader().read(node.get("alertUrl")));
        }
        return new DestinationConfig.Sla(
                ratio,
                duration(node.get("latencyP95"), "'latencyP95'", d.latencyP95()),
                duration(node.get("maxBacklogAge"), "'maxBacklogAge'", d.maxBacklogAge()),
                duration(node.get("window"), "'window'", d.window()),
                alert);
    }

    private static Duration duration(ConfigNode node, String what, Duration fallback) {
        return node.isMissing() ? fallback : node.duration(what);
    }

    private static List<String> texts(ConfigNode node, String what) {
        List<String> out = new ArrayList<>();
        if (node.isMissing()) {
            return out;
        }
        for (ConfigNode item : node.list(what)) {
            out.add(item.text("each of " + what));
        }
        return out;
    }
}
