package dev.tandem.plan;

/**
 * One thing wrong with one event, without any of its values: where (the field's path, such as
 * {@code properties.items[].price}), what kind, the schema keyword that failed, what the plan
 * expects (a type, "present", "absent", or the keyword's name) and the JSON type that was found.
 */
record Violation(Subject subject, String field, Kind kind, String keyword, String expected, String found) {
    /** The sentence of a blocked event's reason: names, kinds and types only. */
    String describe() {
        return switch (kind) {
            case MISSING_REQUIRED -> field + " is required but missing";
            case WRONG_TYPE -> field + " is " + article(found) + " where the plan wants " + expected;
            case UNPLANNED_PROPERTY -> field + " is not in the plan";
            case UNPLANNED_EVENT -> "the event '" + subject.label() + "' is not in the plan";
            case INVALID_VALUE -> field + " breaks the plan's '" + keyword + "'";
            case UNCHECKABLE -> "the plan's schema could not be evaluated on this event";
        };
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
    }
}
