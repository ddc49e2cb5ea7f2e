package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.collect.SourceDeclaration;
import dev.tandem.config.ConfigNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tracking plan as tandem.yaml or {@code PUT /v1/tracking-plans/{key}} declares it: the sources it
 * governs, its mode, its owners, and a JSON Schema per {@link Subject}. One reader serves both, so a
 * plan that one accepts the other accepts too; its errors name the field (and, in the file, the line).
 *
 * <pre>{@code
 * trackingPlans:
 *   - key: web
 *     sources: [web]
 *     mode: block
 *     owners: [it-data, marketing-ops]
 *     events:
 *       Order Completed:
 *         type: object
 *         required: [order_id, total]
 *         properties: {order_id: {type: string}, total: {type: number}}
 *     identify: {properties: {plan: {enum: [free, pro]}}}
 * }</pre>
 */
public record PlanDeclaration(
        String key, List<String> sources, Mode mode, List<String> owners, Map<Subject, JsonNode> schemas) {
    static final String KEY_RULE =
            "1 to 64 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit";
    static final int MAX_EVENTS = 1_000;
    static final int MAX_SOURCES = 100;
    static final Set<String> FIELDS =
            Set.of("key", "sources", "mode", "owners", "events", "identify", "page", "screen");

    static boolean validKey(String key) {
        return key != null && key.matches("[a-z0-9][a-z0-9_-]{0,63}");
    }

    /** The {@code trackingPlans} section of tandem.yaml: a list of plans, each with its key. */
    public static List<PlanDeclaration> fromConfig(ConfigNode section) {
        List<PlanDeclaration> plans = new ArrayList<>();
        if (section.isMissing()) {
            return plans;
        }
        Set<String> keys = new HashSet<>();
        Set<String> planned = new HashSet<>();
        Schemas schemas = new Schemas();
        for (ConfigNode item : section.list("'trackingPlans'")) {
            PlanDeclaration plan = read(null, item, schemas);
            if (!keys.add(plan.key())) {
                throw item.get("key")
                        .error("the tracking plan '" + plan.key() + "' is declared twice; keys must be unique.");
            }
            for (String source : plan.sources()) {
                if (!planned.add(source)) {
                    throw item.get("sources")
                            .error("the source '" + source
                                    + "' has a tracking plan already; a source follows one plan.");
                }
            }
            plans.add(plan);
        }
        return plans;
    }

    /**
     * Reads and checks one plan; {@code key} is the path's key (null in the file, where the item names it).
     * Every schema is guarded, checked against the JSON Schema 2020-12 meta-schema and compiled once.
     */
    static PlanDeclaration read(String key, ConfigNode item, Schemas schemas) {
        item.fields(FIELDS, "a tracking plan");
        ConfigNode named = item.get("key");
        if (key == null) {
            key = named.text("'key'");
        } else if (!named.isMissing() && !key.equals(named.node().asText())) {
            throw named.error("the body names the plan '" + named.node().asText() + "' but the path '" + key
                    + "'; a key cannot change: delete the plan and put one under the new key.");
        }
        if (!validKey(key)) {
            throw (named.isMissing() ? item : named).error("a tracking plan's key is " + KEY_RULE + ".");
        }
        List<String> sources = texts(item.get("sources"), "'sources'", MAX_SOURCES);
        if (sources.isEmpty()) {
            throw item.error("the tracking plan '" + key
                    + "' needs 'sources', such as [web]: the sources whose events it checks.");
        }
        for (int i = 0; i < sources.size(); i++) {
            if (!SourceDeclaration.validName(sources.get(i))) {
                throw item.get("sources")
                        .get(Integer.toString(i))
                        .error("'" + sources.get(i) + "' is not a source name: " + SourceDeclaration.NAME_RULE + ".");
            }
        }
        String modeName = item.get("mode").text("'mode'");
        Mode mode = Mode.named(modeName)
                .orElseThrow(() ->
                        item.get("mode").error("'mode' is '" + modeName + "'; use one of " + Mode.WIRE_NAMES + "."));
        List<String> owners = texts(item.get("owners"), "'owners'", 20);
        if (owners.isEmpty()) {
            throw item.error("the tracking plan '" + key
                    + "' needs 'owners', such as [it-data, marketing-ops]: every object names who answers for it.");
        }
        Map<Subject, JsonNode> out = new LinkedHashMap<>();
        ConfigNode events = item.get("events");
        if (!events.isMissing()) {
            int n = 0;
            for (var event :
                    events.fields(null, "'events' (event names, each with the JSON Schema of its properties)")) {
                if (++n > MAX_EVENTS) {
                    throw events.error("a plan lists at most " + MAX_EVENTS + " events; split it by source.");
                }
                if (event.getKey().isBlank() || event.getKey().length() > 200) {
                    throw event.getValue().error("an event name has 1 to 200 characters.");
                }
                out.put(
                        Subject.track(event.getKey()),
                        schema(event.getValue(), "the schema of '" + event.getKey() + "'", schemas));
            }
        }
        for (Subject call : List.of(Subject.IDENTIFY, Subject.PAGE, Subject.SCREEN)) {
            ConfigNode node = item.get(call.type().wireName());
            if (!node.isMissing()) {
                out.put(call, schema(node, "the schema of " + call.type().wireName() + " " + call.field(), schemas));
            }
        }
        return new PlanDeclaration(
                key, List.copyOf(sources), mode, List.copyOf(owners), java.util.Collections.unmodifiableMap(out));
    }

    private static JsonNode schema(ConfigNode node, String where, Schemas schemas) {
        JsonNode schema = Numbers.whole(node.node());
        String problem = SchemaGuard.problem(schema, where);
        if (problem == null) {
            problem = schemas.problem(schema);
            problem = problem == null ? null : where + ": " + problem;
        }
        if (problem == null) {
            try {
                schemas.compile(schema);
            } catch (RuntimeException e) {
                problem = where + " cannot be compiled: " + e.getMessage();
            }
        }
        if (problem != null) {
            throw node.error(problem);
        }
        return schema;
    }

    private static List<String> texts(ConfigNode node, String what, int max) {
        if (node.isMissing()) {
            return List.of();
        }
        List<ConfigNode> items = node.list(what);
        if (items.size() > max) {
            throw node.error(what + " lists at most " + max + ".");
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : items) {
            String text = item.text("each of " + what);
            if (text.length() > 100) {
                throw item.error("each of " + what + " has at most 100 characters.");
            }
            if (!out.contains(text)) {
                out.add(text);
            }
        }
        return out;
    }

    /** The declaration as the API shows and stores it. */
    JsonNode toJson(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        var json = mapper.createObjectNode().put("key", key);
        sources.forEach(json.putArray("sources")::add);
        json.put("mode", mode.wireName());
        owners.forEach(json.putArray("owners")::add);
        var events = json.putObject("events");
        schemas.forEach((subject, schema) -> {
            if (subject.event() != null) {
                events.set(subject.event(), schema);
            } else {
                json.set(subject.type().wireName(), schema);
            }
        });
        return json;
    }
}
