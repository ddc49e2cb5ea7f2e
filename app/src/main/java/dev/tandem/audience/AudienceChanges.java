package dev.tandem.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Conflict;
import dev.tandem.expr.Expressions;
import dev.tandem.module.Changeable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Audiences made through the API as a kind of workspace object that changes go through; those of
 * tandem.yaml are changed in the file (409). Change rules read an audience's current {@code size}
 * (0 for a new one).
 */
final class AudienceChanges implements Changeable {
    static final String KIND = "audience";

    private final Audiences audiences;
    private final Expressions expressions;
    private final ObjectMapper mapper;

    AudienceChanges(Audiences audiences, Expressions expressions, ObjectMapper mapper) {
        this.audiences = audiences;
        this.expressions = expressions;
        this.mapper = mapper;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JsonNode check(String key, JsonNode declaration) {
        if (!(declaration instanceof ObjectNode)) {
            throw new BadRequest("invalid_body", "Send an audience as a JSON object.");
        }
        refuseWorkspace(key);
        return json(AudienceDefinition.fromJson(declaration, key, expressions));
    }

    @Override
    public Optional<JsonNode> live(String key) {
        return api(key).map(a -> json(a.definition()));
    }

    @Override
    public Map<String, JsonNode> all() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        audiences.list().stream()
                .filter(a -> a.origin() == Audience.Origin.API && a.state().status() != Audience.Status.DELETED)
                .forEach(a -> out.put(a.key(), json(a.definition())));
        return out;
    }

    @Override
    public void apply(String key, JsonNode declaration) {
        if (declaration == null) {
            audiences.delete(key);
        } else if (api(key).isPresent()) {
            audiences.update(AudienceDefinition.fromJson(declaration, key, expressions));
        } else {
            audiences.create(AudienceDefinition.fromJson(declaration, key, expressions));
        }
    }

    @Override
    public Map<String, Object> facts(JsonNode declaration) {
        String key = declaration.path("key").asText();
        return Map.of(
                "size",
                audiences.list().stream()
                        .filter(a -> a.key().equals(key))
                        .findFirst()
                        .map(a -> a.state().size())
                        .orElse(0L));
    }

    private Optional<Audience> api(String key) {
        return audiences.list().stream()
                .filter(a -> a.key().equals(key)
                        && a.origin() == Audience.Origin.API
                        && a.state().status() != Audience.Status.DELETED)
                .findFirst();
    }

    void refuseWorkspace(String key) {
        audiences.list().stream()
                .filter(a -> a.key().equals(key) && a.origin() == Audience.Origin.WORKSPACE)
                .findFirst()
                .ifPresent(a -> {
                    throw new Conflict(
                            "declared_in_workspace",
                            "The audience '" + key
                                    + "' is declared in tandem.yaml; change it there and restart, so the file stays the truth.",
                            "key");
                });
    }

    private JsonNode json(AudienceDefinition d) {
        ObjectNode o = mapper.createObjectNode();
        o.put("key", d.key());
        if (d.name() != null) {
            o.put("name", d.name());
        }
        if (d.description() != null) {
            o.put("description", d.description());
        }
        d.owners().forEach(o.putArray("owners")::add);
        o.put("condition", d.condition());
        return o;
    }
}
