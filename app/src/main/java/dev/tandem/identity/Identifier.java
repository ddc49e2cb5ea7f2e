package dev.tandem.identity;

/** A normalised identifier: its type name (such as {@code email}) and value. */
public record Identifier(String type, String value) {
    /** Parses {@code type:value}, the form the Profile API uses; null when there is no colon. */
    public static Identifier parse(String text) {
        int colon = text.indexOf(':');
        return colon <= 0 || colon == text.length() - 1
                ? null
                : new Identifier(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
