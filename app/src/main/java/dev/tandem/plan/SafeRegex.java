package dev.tandem.plan;

import com.google.re2j.Pattern;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * The regular expressions of plans ({@code pattern}, {@code patternProperties}, {@code format: regex}),
 * run by RE2/J: matching takes time linear in the text, so no pattern such as {@code ^(a+)+$} can
 * hold a request thread, whatever the event sends. RE2 has no backreferences or lookaround; a plan
 * that uses them is refused when it is read ({@link SchemaGuard}).
 */
final class SafeRegex implements RegularExpressionFactory {
    static final SafeRegex FACTORY = new SafeRegex();

    private SafeRegex() {}

    /** Null when RE2 takes the expression, else why not. */
    static String problem(String regex) {
        try {
            Pattern.compile(regex);
            return null;
        } catch (com.google.re2j.PatternSyntaxException e) {
            return e.getDescription();
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(regex);
        // JSON Schema patterns are not anchored: a match anywhere in the text counts
        return value -> pattern.matcher(value).find();
    }
}
