package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.ConfigNode;
import dev.tandem.config.JsonBody;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.module.Changeable;
import dev.tandem.module.Wiring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Destinations as a kind of workspace object that changes go through: the declaration checked by
 * the same reader as tandem.yaml's, saved (V12) and made live without a restart once its change is
 * applied. Those of tandem.yaml are changed there, not here (409).
 */
final class DestinationChanges implements Changeable {
    static final String KIND = "destination";

    private final DestinationSet destinations;
    private final DestinationDeclarations declarations;
    private final DestinationConfigs.Rules rules;
    private final Wiring wiring;
    private volatile DestinationDeclarations.Deleted lastDeleted = new DestinationDeclarations.Deleted(0, 0);

    DestinationChanges(
            DestinationSet destinations,
            DestinationDeclarations declarations,
            DestinationConfigs.Rules rules,
            Wiring wiring) {
        this.destinations = destinations;
        this.declarations = declarations;
        this.rules = rules;
        this.wiring = wiring;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JsonNode check(String key, JsonNode declaration) {
        refuseWorkspace(key);
        if (!(declaration instanceof ObjectNode body)) {
            throw new BadRequest(
                    "invalid_body", "Send a destination as a JSON object, such as " + DestinationAdmin.EXAMPLE + ".");
        }
        ObjectNode out = body.deepCopy();
        JsonNode named = out.get("key");
        if (named != null && !key.equals(named.asText())) {
            throw new BadRequest(
                    "key_mismatch",
                    "The body names '" + named.asText() + "' but the path '" + key
                            + "'; a key cannot change: delete the destination and create one with the new key.",
                    "key");
        }
        out.put("key", key);
        DestinationConfigs.one(node(out), rules);
        return out;
    }

    @Override
    public Optional<JsonNode> live(String key) {
        String declaration = declarations.all().get(key);
        return declaration == null
                ? Optional.empty()
                : Optional.of(JsonBody.read(wiring.mapper(), declaration, DestinationAdmin.EXAMPLE));
    }

    @Override
    public Map<String, JsonNode> all() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        declarations.all().forEach((k, v) -> out.put(k, JsonBody.read(wiring.mapper(), v, DestinationAdmin.EXAMPLE)));
        return out;
    }

    @Override
    public synchronized void apply(String key, JsonNode declaration) {
        if (declaration == null) {
            destinations.remove(key);
            lastDeleted = declarations.delete(key);
            return;
        }
        DestinationConfig config = DestinationConfigs.one(node(declaration), rules);
        if (declarations.exists(key)) {
            declarations.update(key, declaration.toString(), wiring.clock().millis());
        } else {
            declarations.create(key, declaration.toString(), wiring.clock().millis());
        }
        destinations.put(config);
    }

    DestinationConfigs.Rules rules() {
        return rules;
    }

    /** What the last removal abandoned, for the answer to the DELETE that made it. */
    DestinationDeclarations.Deleted lastDeleted() {
        return lastDeleted;
    }

    @Override
    public Map<String, Object> facts(JsonNode declaration) {
        return of(declaration);
    }

    @Override
    public Set<String> conditions() {
        return Set.of("hash", "drop", "mask", "expires");
    }

    /**
     * What change rules read about a destination: {@code personal} (it receives personal data: trait
     * updates, audience memberships with the members' identifiers, or a mapping that reads traits or
     * identifiers), its {@code purposes} and {@code riskTier} (medium when not declared).
     */
    public static Map<String, Object> of(JsonNode declaration) {
        Map<String, Object> facts = new LinkedHashMap<>();
        boolean personal = declaration.path("identifies").asBoolean(false)
                || declaration.path("audiences").size() > 0
                || declaration.path("mapping").toString().matches("(?s).*\\b(traits|identifiers)\\b.*");
        facts.put("personal", personal);
        List<String> purposes = new ArrayList<>();
        declaration.path("purposes").forEach(p -> purposes.add(p.asText()));
        facts.put("purposes", purposes);
        facts.put("riskTier", declaration.path("riskTier").asText("medium"));
        return facts;
    }

    void refuseWorkspace(String key) {
        if (destinations.declaredInWorkspace(key)) {
            throw new Conflict(
                    "declared_in_workspace",
                    "The destination '" + key
                            + "' is declared in tandem.yaml; edit it there and restart: the API changes only destinations it made.",
                    "key");
        }
    }

    /** The body read as tandem.yaml is: a wrong value is a 400 naming its field, such as settings.secret. */
    static ConfigNode node(JsonNode body) {
        return new ConfigNode(
                body,
                "",
                (path, problem) -> new BadRequest(
                        "invalid_destination",
                        capitalised(problem),
                        path.isEmpty() ? null : path.substring(1).replace('/', '.')));
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
