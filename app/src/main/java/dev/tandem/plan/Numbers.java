package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * The workspace reader keeps YAML numbers exact, as decimals; JSON Schema wants {@code maxLength: 10}
 * to be an integer. Whole decimals become integers, on a copy; other values are kept as they are.
 */
final class Numbers {
    private Numbers() {}

    static JsonNode whole(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isBigDecimal()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            return d.scale() <= 0 ? JsonNodeFactory.instance.numberNode(d.toBigIntegerExact()) : node;
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), whole(e.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(v -> copy.add(whole(v)));
            return copy;
        }
        return node;
    }
}
