package dev.tandem.plan;

/** What is wrong with an event, as violations are counted. */
enum Kind {
    /** A property (or trait) the schema requires is absent. */
    MISSING_REQUIRED("missing_required"),
    /** A value of another JSON type than the schema's. */
    WRONG_TYPE("wrong_type"),
    /** A property the plan does not declare (removed in {@code omit} mode). */
    UNPLANNED_PROPERTY("unplanned_property"),
    /** A track event whose name the plan does not list. */
    UNPLANNED_EVENT("unplanned_event"),
    /** A value the schema refuses for another reason: enum, pattern, minimum, length... (the keyword says which). */
    INVALID_VALUE("invalid_value"),
    /** The schema could not be evaluated on the event (it recursed too deep). */
    UNCHECKABLE("uncheckable");

    private final String wireName;

    Kind(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Kind of(String keyword) {
        return switch (keyword) {
            case "required", "dependentRequired" -> MISSING_REQUIRED;
            case "type" -> WRONG_TYPE;
            case "additionalProperties", "unevaluatedProperties" -> UNPLANNED_PROPERTY;
            default -> INVALID_VALUE;
        };
    }

    static Kind named(String wireName) {
        for (Kind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new IllegalStateException("The violation kind '" + wireName + "' is stored but unknown to this version.");
    }
}
