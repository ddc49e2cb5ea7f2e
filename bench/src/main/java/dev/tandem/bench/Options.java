package dev.tandem.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** {@code --name value} options of a benchmark, with defaults; an unknown option or a missing value is refused with the list of known ones. */
final class Options {
    private Options() {}

    /** @param defaults every known option (without the dashes) and its default; null for options without one */
    static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !defaults.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Bad argument '" + args[i] + "'; the options are "
                        + new TreeSet<>(defaults.keySet())
                                .stream().map(k -> "--" + k + " <value>").toList());
            }
            values.put(name, args[i + 1]);
        }
        return values;
    }
}
