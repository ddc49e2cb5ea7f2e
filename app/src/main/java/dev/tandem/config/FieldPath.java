package dev.tandem.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A dotted path into an event, as the workspace writes it ({@code traits.loyaltyId},
 * {@code properties.revenue}), split once so that reading it per event is a walk of the tree.
 */
public record FieldPath(List<String> steps) {
    public static FieldPath of(String dotted) {
        return new FieldPath(List.of(dotted.split("\\.")));
    }

    /** The value at this path in {@code node}, or null when any step is missing. */
    public JsonNode in(JsonNode node) {
        for (String step : steps) {
            if (node == null) {
                return null;
            }
            node = node.get(step);
        }
        return node;
    }

    @Override
    public String toString() {
        return String.join(".", steps);
    }
}
