package dev.tandem.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tandem.wire.EventTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the values of a {@link ValueExpression} are as JSON, for every mapping (a webhook source's,
 * a destination's): texts, numbers, maps and lists as themselves, timestamps as ISO-8601 text.
 */
public final class CelValues {
    private CelValues() {}

    /** The JSON of a CEL value; null for CEL's null. */
    public static JsonNode json(Object value) {
        return switch (value) {
            case null -> null;
            case dev.cel.common.values.NullValue n -> null;
            case String s -> TextNode.valueOf(s);
            case Long l -> LongNode.valueOf(l);
            case Integer i -> LongNode.valueOf(i);
            case Double d -> DoubleNode.valueOf(d);
            case Boolean b -> BooleanNode.valueOf(b);
            case com.google.common.primitives.UnsignedLong u -> LongNode.valueOf(u.longValue());
            case Instant t -> TextNode.valueOf(EventTime.format(t));
            case com.google.protobuf.Timestamp t ->
                TextNode.valueOf(EventTime.format(Instant.ofEpochSecond(t.getSeconds(), t.getNanos())));
            case Map<?, ?> map -> {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                map.forEach((k, v) -> {
                    JsonNode node = json(v);
                    object.set(String.valueOf(k), node == null ? object.nullNode() : node);
                });
                yield object;
            }
            case List<?> list -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                list.forEach(v -> {
                    JsonNode node = json(v);
                    array.add(node == null ? array.nullNode() : node);
                });
                yield array;
            }
            default -> TextNode.valueOf(value.toString());
        };
    }
}
