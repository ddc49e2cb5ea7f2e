package dev.tandem.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.audience.AudienceDefinition;
import dev.tandem.change.ChangeRules;
import dev.tandem.collect.Retention;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.collect.WebhookMapping;
import dev.tandem.config.ConfigException;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.LocatedYaml;
import dev.tandem.connect.Connectors;
import dev.tandem.connect.DestinationConfigs;
import dev.tandem.decide.PlacementConfig;
import dev.tandem.expr.Expressions;
import dev.tandem.govern.Policy;
import dev.tandem.identity.IdentityRules;
import dev.tandem.journey.JourneyDeclarations;
import dev.tandem.journey.JourneyModule;
import dev.tandem.plan.PlanDeclaration;
import dev.tandem.profile.ProfileRules;
import dev.tandem.protect.Classification;
import dev.tandem.protect.Purposes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workspace file, {@code tandem.yaml}: server settings, sources and tracking plans, identity and profile rules,
 * audiences, placements, destinations and journeys, and the guardrails (classification, purposes, consent categories,
 * policies). Later capabilities add their sections here. Anything unknown or malformed stops
 * start-up with the line and the fix.
 */
public record Workspace(
        Map<String, String> server,
        Collecting collecting,
        Profiling profiling,
        Activation activation,
        Guardrails guardrails,
        LocatedYaml source) {
    private static final Set<String> SECTIONS = Set.of(
            "server",
            "sources",
            "trackingPlans",
            "identity",
            "profiles",
            "audiences",
            "placements",
            "classification",
            "purposes",
            "consentCategories",
            "policies",
            "destinations",
            "kpis",
            "journeys",
            "frequencyCaps");

    /** How events become profiles: identity rules and profile rules. */
    public record Profiling(IdentityRules identity, ProfileRules profiles) {}

    /** Default rules with these sources. */
    public static Workspace withSources(List<SourceDeclaration> sources) {
        return new Workspace(
                Map.of(),
                new Collecting(sources, List.of()),
                new Profiling(IdentityRules.defaults(), ProfileRules.defaults()),
                Activation.NONE,
                Guardrails.defaults(new Expressions()),
                null);
    }

    public List<SourceDeclaration> sources() {
        return collecting.sources();
    }

    public List<PlanDeclaration> trackingPlans() {
        return collecting.trackingPlans();
    }

    public IdentityRules identity() {
        return profiling.identity();
    }

    public ProfileRules profiles() {
        return profiling.profiles();
    }

    public static Workspace empty() {
        return withSources(List.of());
    }

    public static Workspace load(Path file) {
        return from(LocatedYaml.read(file));
    }

    /**
     * This workspace with its file's tree changed by {@code patch} (objects whose edits wait for
     * approval put back as they were applied), read again; itself when it was not read from a file.
     */
    public Workspace reconciled(java.util.function.UnaryOperator<JsonNode> patch) {
        return source == null
                ? this
                : from(source.withRoot(patch.apply(source.root().deepCopy())));
    }

    private static Workspace from(LocatedYaml yaml) {
        JsonNode root = yaml.root();
        if (!root.isObject()) {
            throw yaml.error("", "the workspace must be a mapping with the sections " + SECTIONS + ".");
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!SECTIONS.contains(name)) {
                throw yaml.error(
                        "/" + name, "unknown section '" + name + "'; the known sections are " + SECTIONS + ".");
            }
        }
        Expressions expressions = new Expressions();
        ChangeRules.from(
                section(yaml, "policies").get("changes"),
                expressions); // wrong rules stop start-up here, with their line
        Guardrails guardrails = new Guardrails(
                Classification.from(section(yaml, "classification")),
                Purposes.from(section(yaml, "purposes"), section(yaml, "consentCategories")),
                Policy.from(section(yaml, "policies"), expressions));
        return new Workspace(
                server(yaml, root.get("server")),
                new Collecting(
                        sources(yaml, root.get("sources"), expressions),
                        PlanDeclaration.fromConfig(section(yaml, "trackingPlans"))),
                new Profiling(
                        IdentityRules.from(section(yaml, "identity")),
                        ProfileRules.from(section(yaml, "profiles")).withPurposes(guardrails.purposes())),
                activation(yaml, expressions, guardrails),
                guardrails,
                yaml);
    }

    /** The {@code kpis:} section, read by the KPI module (missing when the workspace has none). */
    public ConfigNode kpis() {
        return source == null
                ? new ConfigNode(null, "/kpis", (path, problem) -> new ConfigException(problem))
                : section(source, "kpis");
    }

    private static Activation activation(LocatedYaml yaml, Expressions expressions, Guardrails guardrails) {
        List<dev.tandem.connect.DestinationConfig> destinations = DestinationConfigs.from(
                section(yaml, "destinations"),
                expressions,
                Connectors.builtIn(),
                guardrails.purposes().catalog().keySet(),
                System::getenv);
        Set<String> keys = new HashSet<>();
        destinations.forEach(d -> keys.add(d.key()));
        return new Activation(
                AudienceDefinition.fromConfig(section(yaml, "audiences"), expressions),
                PlacementConfig.from(section(yaml, "placements"), expressions),
                destinations,
                new JourneyModule.Declared(
                        JourneyDeclarations.from(section(yaml, "journeys"), expressions, keys),
                        JourneyDeclarations.caps(section(yaml, "frequencyCaps"))));
    }

    /** The {@code changes:} rules of the workspace's policy, then Tandem's. */
    public ChangeRules changeRules() {
        Expressions expressions = new Expressions();
        return source == null
                ? ChangeRules.defaults(expressions)
                : ChangeRules.from(section(source, "policies").get("changes"), expressions);
    }

    private static ConfigNode section(LocatedYaml yaml, String name) {
        return new ConfigNode(yaml.root().get(name), "/" + name, yaml::error);
    }

    private static Map<String, String> server(LocatedYaml yaml, JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw yaml.error("/server", "'server' must be a mapping of settings such as 'port: 8080'.");
        }
        Set<String> known = new HashSet<>();
        ServerSettings.ALL.forEach(s -> known.add(s.key()));
        for (var it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!known.contains(entry.getKey())) {
                throw yaml.error(
                        "/server/" + entry.getKey(),
                        "unknown server setting '" + entry.getKey() + "'; known ones are " + known + ".");
            }
            if (!entry.getValue().isValueNode()) {
                throw yaml.error("/server/" + entry.getKey(), "'" + entry.getKey() + "' must be a single value.");
            }
            Setting<?> setting = ServerSettings.ALL.stream()
                    .filter(s -> s.key().equals(entry.getKey()))
                    .findFirst()
                    .orElseThrow();
            try {
                setting.parse().apply(entry.getValue().asText());
            } catch (IllegalArgumentException e) {
                throw yaml.error("/server/" + entry.getKey(), e.getMessage() + ".");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        }
        return values;
    }

    private static List<SourceDeclaration> sources(LocatedYaml yaml, JsonNode node, Expressions expressions) {
        List<SourceDeclaration> sources = new ArrayList<>();
        if (node == null || node.isNull()) {
            return sources;
        }
        if (!node.isArray()) {
            throw yaml.error(
                    "/sources", "'sources' must be a list, each item with a 'name' and an optional 'writeKey'.");
        }
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String path = "/sources/" + i;
            if (!item.isObject()) {
                throw yaml.error(path, "each source must be a mapping such as '- name: web'.");
            }
            for (var it = item.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!field.equals("name")
                        && !field.equals("writeKey")
                        && !field.equals("webhook")
                        && !field.equals("retention")) {
                    throw yaml.error(
                            path + "/" + field,
                            "unknown source field '" + field
                                    + "'; a source has 'name', 'writeKey', 'webhook' and 'retention'.");
                }
            }
            JsonNode name = item.get("name");
            if (name == null || !name.isTextual() || !SourceDeclaration.validName(name.asText())) {
                throw yaml.error(
                        path + (name == null ? "" : "/name"),
                        "a source needs a 'name', such as 'web': " + SourceDeclaration.NAME_RULE + ".");
            }
            if (!names.add(name.asText())) {
                throw yaml.error(
                        path + "/name", "the source name '" + name.asText() + "' is used twice; names must be unique.");
            }
            JsonNode key = item.get("writeKey");
            if (key != null && !key.isNull()) {
                if (!key.isTextual() || !SourceDeclaration.validWriteKey(key.asText())) {
                    throw yaml.error(
                            path + "/writeKey",
                            SourceDeclaration.WRITE_KEY_RULE + "; remove the line to have one generated.");
                }
                if (!keys.add(key.asText())) {
                    throw yaml.error(path + "/writeKey", "this write key is used by two sources; give each its own.");
                }
            }
            JsonNode webhook = item.get("webhook");
            sources.add(new SourceDeclaration(
                    name.asText(),
                    key == null || key.isNull() ? null : key.asText(),
                    webhook == null || webhook.isNull()
                            ? null
                            : WebhookMapping.from(new ConfigNode(webhook, path + "/webhook", yaml::error), expressions),
                    retention(yaml, item.get("retention"), path + "/retention")));
        }
        return sources;
    }

    /** A source's {@code retention: {events: 400d, quarantine: 30d}}; either may be left out for its default. */
    private static Retention retention(LocatedYaml yaml, JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return Retention.DEFAULTS;
        }
        if (!node.isObject()) {
            throw yaml.error(path, "'retention' must be a mapping such as '{events: 400d, quarantine: 30d}'.");
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("events") && !field.equals("quarantine")) {
                throw yaml.error(
                        path + "/" + field,
                        "unknown retention field '" + field + "'; a retention has 'events' and 'quarantine'.");
            }
        }
        return new Retention(
                duration(yaml, node.get("events"), path + "/events", Retention.DEFAULTS.events()),
                duration(yaml, node.get("quarantine"), path + "/quarantine", Retention.DEFAULTS.quarantine()));
    }

    private static java.time.Duration duration(
            LocatedYaml yaml, JsonNode node, String path, java.time.Duration fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw yaml.error(path, Retention.RULE + ".");
        }
        try {
            return Retention.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw yaml.error(path, e.getMessage() + ".");
        }
    }
}
