package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.module.Changeable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tracking plans made through the API as a kind of workspace object that changes go through (a plan
 * edit is a change like any other: medium tier unless a rule says otherwise); those of tandem.yaml
 * change in the file.
 */
final class PlanChanges implements Changeable {
    static final String KIND = "trackingPlan";

    private final TrackingPlans plans;
    private final ObjectMapper mapper;

    PlanChanges(TrackingPlans plans, ObjectMapper mapper) {
        this.plans = plans;
        this.mapper = mapper;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JsonNode check(String key, JsonNode declaration) {
        plans.refuseWorkspace(key);
        return TrackingPlans.read(key, declaration).toJson(mapper);
    }

    @Override
    public Optional<JsonNode> live(String key) {
        return plans.get(key)
                .filter(p -> !p.fromWorkspace())
                .map(p -> p.declaration().toJson(mapper));
    }

    @Override
    public Map<String, JsonNode> all() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        plans.list().stream()
                .filter(p -> !p.fromWorkspace())
                .forEach(p -> out.put(p.declaration().key(), p.declaration().toJson(mapper)));
        return out;
    }

    @Override
    public void apply(String key, JsonNode declaration) {
        if (declaration == null) {
            plans.remove(key);
        } else {
            plans.apply(key, declaration);
        }
    }

    @Override
    public Map<String, Object> facts(JsonNode declaration) {
        return Map.of("mode", declaration.path("mode").asText("allow"));
    }
}
