package dev.tandem.server;

import dev.tandem.people.People;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code teams} setting: teams beyond the built-in {@code marketing} and {@code it}, each with
 * its side, as {@code growth:marketing, platform:it}. The side is what approvals count ("one person
 * from marketing and one from IT"), so every team must say which it is on.
 */
final class Teams {
    static final Map<String, String> BUILT_IN = Map.of("marketing", "marketing", "it", "it");
    private static final String NAME = "[a-z][a-z0-9_-]{0,31}";

    private Teams() {}

    /** Team name to side, the built-in teams included. */
    static Map<String, String> parse(String text) {
        Map<String, String> teams = new LinkedHashMap<>();
        teams.put("marketing", "marketing");
        teams.put("it", "it");
        for (String item : text.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String name = colon < 0 ? entry : entry.substring(0, colon).trim();
            String side = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (!name.matches(NAME)) {
                throw new IllegalArgumentException(
                        "'" + name + "' is not a team name (lower-case letters, digits,"
                                + " '_' or '-', at most 32, starting with a letter); write teams as 'growth:marketing, platform:it'");
            }
            if (!People.SIDES.contains(side)) {
                throw new IllegalArgumentException("the team '" + name + "' needs its side, marketing or it, as '"
                        + name + ":marketing' or '" + name + ":it'");
            }
            String before = teams.put(name, side);
            if (before != null && !before.equals(side)) {
                throw new IllegalArgumentException("the team '" + name + "' is "
                        + (BUILT_IN.containsKey(name) ? "built in on the " + before + " side" : "given two sides")
                        + "; a team has one side");
            }
        }
        return Collections.unmodifiableMap(teams);
    }
}
