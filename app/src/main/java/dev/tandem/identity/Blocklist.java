package dev.tandem.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Values that are never used to join anything: placeholders that forms and systems send for
 * everyone. Exact values compare case-insensitively; patterns are searched in the normalised value.
 */
record Blocklist(Set<String> values, List<Pattern> patterns) {
    static final List<String> DEFAULT_VALUES = List.of(
            "-1",
            "null",
            "undefined",
            "anonymous",
            "unknown",
            "none",
            "nil",
            "n/a",
            "test@test.com",
            "test@example.com",
            "noemail@example.com",
            "none@none.com",
            "no@email.com",
            "email@email.com",
            "example@example.com",
            "noreply@example.com",
            "na@na.com",
            "abc@abc.com");
    static final List<String> DEFAULT_PATTERNS =
            List.of("^[0-]*$", "^(noemail|no-?reply|donotreply|do-not-reply|none|null|unknown)@", "^\\+?(\\d)\\1{6,}$");

    static Blocklist defaults() {
        return new Blocklist(
                lower(DEFAULT_VALUES),
                DEFAULT_PATTERNS.stream()
                        .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE))
                        .toList());
    }

    static Set<String> lower(List<String> values) {
        return Set.copyOf(
                values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).toList());
    }

    Blocklist plus(Blocklist other) {
        var all = new java.util.HashSet<>(values);
        all.addAll(other.values);
        List<Pattern> p = new ArrayList<>(patterns);
        p.addAll(other.patterns);
        return new Blocklist(Set.copyOf(all), List.copyOf(p));
    }

    boolean blocks(String normalized) {
        if (values.contains(normalized.toLowerCase(Locale.ROOT))) {
            return true;
        }
        for (Pattern p : patterns) {
            if (p.matcher(normalized).find()) {
                return true;
            }
        }
        return false;
    }
}
