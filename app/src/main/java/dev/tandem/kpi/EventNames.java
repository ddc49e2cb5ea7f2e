package dev.tandem.kpi;

import dev.tandem.expr.Expression;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event names a KPI can count, read off its conditions, so the stage skips an event no KPI names
 * before it builds the event's variables. Most KPIs begin with {@code event == 'Survey Answered'}; a
 * condition is narrowed only when it is that comparison alone or followed by {@code &&} with no
 * {@code ||} or {@code ?} after it (either could make it hold for other events), else it says nothing.
 */
final class EventNames {
    private static final Pattern NAMED =
            Pattern.compile("\\s*event\\s*==\\s*(?:'([^'\\\\]*)'|\"([^\"\\\\]*)\")\\s*(?:&&(.*))?", Pattern.DOTALL);

    private EventNames() {}

    /** The names any of the KPI's conditions needs, or null when one of them could hold for any event. */
    static Set<String> of(KpiDefinition d) {
        Set<String> names = new HashSet<>();
        for (Expression c : d.measure().conditions()) {
            String name = needed(c.source());
            if (name == null) {
                return null;
            }
            names.add(name);
        }
        return Set.copyOf(names);
    }

    /** The name the condition needs the event to have, or null when it does not need one. */
    static String needed(String condition) {
        Matcher m = NAMED.matcher(condition);
        if (!m.matches()) {
            return null;
        }
        String rest = m.group(3);
        if (rest != null && (rest.contains("||") || rest.contains("?"))) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }
}
