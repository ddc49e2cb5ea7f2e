package dev.tandem.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;

/**
 * A validator's error as a {@link Violation}: the field's path built from the instance location
 * (list positions written {@code []}, so one field counts as one), the kind from the keyword, and
 * the types; never the validator's message, which may quote a value.
 */
final class Errors {
    private static final int MAX_PATH = 300;

    private Errors() {}

    static Violation violation(Subject subject, String root, Error error) {
        StringBuilder path = new StringBuilder(root);
        NodePath at = error.getInstanceLocation();
        for (int i = 0; i < at.getNameCount(); i++) {
            Object element = at.getElement(i);
            if (element instanceof Number) {
                path.append("[]");
            } else {
                path.append('.').append(element);
            }
        }
        String keyword = error.getKeyword() == null ? "schema" : error.getKeyword();
        Kind kind = Kind.of(keyword);
        if (error.getProperty() != null && (kind == Kind.MISSING_REQUIRED || kind == Kind.UNPLANNED_PROPERTY)) {
            path.append('.').append(error.getProperty());
        }
        String field = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path.toString();
        return new Violation(
                subject, field, kind, keyword, expected(kind, keyword, error.getSchemaNode()), found(kind, error));
    }

    private static String expected(Kind kind, String keyword, JsonNode schema) {
        return switch (kind) {
            case MISSING_REQUIRED -> "present";
            case UNPLANNED_PROPERTY -> "absent";
            case WRONG_TYPE -> schema == null ? "another type" : schema.isTextual() ? schema.asText() : types(schema);
            default -> keyword;
        };
    }

    private static String types(JsonNode schema) {
        StringBuilder out = new StringBuilder();
        for (JsonNode t : schema) {
            out.append(out.isEmpty() ? "" : " or ").append(t.asText());
        }
        return out.isEmpty() ? "another type" : out.toString();
    }

    private static String found(Kind kind, Error error) {
        if (kind == Kind.MISSING_REQUIRED) {
            return "absent";
        }
        if (kind == Kind.UNPLANNED_PROPERTY) {
            return "present";
        }
        JsonNode node = error.getInstanceNode();
        if (node == null) {
            return "unknown";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
