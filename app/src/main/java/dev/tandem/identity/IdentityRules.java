package dev.tandem.identity;

import dev.tandem.config.ConfigNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The identity rules of a workspace: identifier types in priority order (highest first), a
 * limit per type, blocked values, and the region for phone numbers written without a country
 * code. {@link #defaults()} is what a workspace without an {@code identity} section gets.
 */
public record IdentityRules(
        List<IdentifierType> types, Map<String, Limit> limits, Blocklist blocked, String phoneRegion) {
    static final String NAME_RULE = "lower-case letters, digits and '_', starting with a letter";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Limit USER_ID_LIMIT = Limit.ever(1);
    /** Five new values a week, as Segment's identity resolution defaults: a device or browser reset now and then is normal, a stream of them is a shared or spoofed identifier. */
    private static final Limit OTHER_LIMIT = new Limit(5, java.time.Duration.ofDays(7));

    /** The built-in types, in default priority order: user_id, then email, then the rest. */
    static List<IdentifierType> builtIn() {
        return List.of(
                IdentifierType.of("user_id", Normalization.ID, "userId"),
                IdentifierType.of("email", Normalization.EMAIL, "traits.email", "context.traits.email"),
                IdentifierType.of("phone", Normalization.PHONE, "traits.phone", "context.traits.phone"),
                IdentifierType.of("advertising_id", Normalization.ID, "context.device.advertisingId"),
                IdentifierType.of("device_id", Normalization.ID, "context.device.id"),
                IdentifierType.of("anonymous_id", Normalization.ID, "anonymousId"));
    }

    /** The identifiers an event carries under these rules, normalised, highest priority first; blocked values left out. */
    public List<Identifier> identifiersOf(com.fasterxml.jackson.databind.JsonNode event) {
        return new IdentifierExtractor(this).extract(event, new IdentifierExtractor.Tally());
    }

    /** One raw value of a type, normalised as events' values are; null when it is not a valid value of the type. */
    public Identifier normalized(String type, String raw) {
        IdentifierType declared = type(type);
        String value = (declared == null ? Normalization.ID : declared.normalization()).normalize(raw, phoneRegion);
        return value == null ? null : new Identifier(type, value);
    }

    public static IdentityRules defaults() {
        return new IdentityRules(builtIn(), Map.of(), Blocklist.defaults(), "US");
    }

    static boolean validTypeName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The limit for a type: as configured, else 1 for user_id (ever) and 5 a week for the others. */
    Limit limit(String type) {
        Limit l = limits.get(type);
        return l != null ? l : type.equals("user_id") ? USER_ID_LIMIT : OTHER_LIMIT;
    }

    /** Priority rank of a type, 0 the highest; external id types nobody declared rank below every declared one. */
    int rank(String type) {
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).name().equals(type)) {
                return i;
            }
        }
        return types.size();
    }

    IdentifierType type(String name) {
        for (IdentifierType t : types) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Reads the {@code identity} section of {@code tandem.yaml}; a missing section means the defaults. */
    public static IdentityRules from(ConfigNode section) {
        if (section.isMissing()) {
            return defaults();
        }
        List<IdentifierType> types = new ArrayList<>(builtIn());
        String region = "US";
        Map<String, Limit> limits = new HashMap<>();
        Blocklist blocked = Blocklist.defaults();
        List<String> priority = null;
        ConfigNode priorityNode = null;
        for (var field :
                section.fields(Set.of("types", "priority", "limits", "blocked", "phoneRegion"), "'identity'")) {
            ConfigNode value = field.getValue();
            switch (field.getKey()) {
                case "phoneRegion" -> {
                    region = value.text("'phoneRegion'").toUpperCase(java.util.Locale.ROOT);
                    if (!Normalization.knownRegion(region)) {
                        throw value.error("'" + region
                                + "' is not a region code libphonenumber knows; use two letters such as US, GB or DE.");
                    }
                }
                case "types" -> {
                    for (ConfigNode item : value.list("'types'")) {
                        types.add(customType(item, types));
                    }
                }
                case "priority" -> {
                    priorityNode = value;
                    priority = new ArrayList<>();
                    for (ConfigNode item : value.list("'priority'")) {
                        priority.add(item.text("each priority entry"));
                    }
                }
                case "limits" -> limits = limitsFrom(value);
                case "blocked" -> blocked = blockedFrom(value);
                default -> throw new IllegalStateException(field.getKey());
            }
        }
        List<IdentifierType> ordered = priority == null ? types : ordered(types, priority, priorityNode);
        Set<String> names = new java.util.HashSet<>();
        ordered.forEach(t -> names.add(t.name()));
        for (String type : limits.keySet()) {
            if (!names.contains(type)) {
                throw section.get("limits")
                        .get(type)
                        .error("there is no identifier type '" + type + "'; known types are " + names + ".");
            }
        }
        return new IdentityRules(List.copyOf(ordered), Map.copyOf(limits), blocked, region);
    }

    private static IdentifierType customType(ConfigNode item, List<IdentifierType> existing) {
        String name = null;
        List<String> paths = new ArrayList<>();
        Normalization normalization = Normalization.ID;
        for (var f : item.fields(Set.of("name", "path", "paths", "normalize"), "an identifier type")) {
            switch (f.getKey()) {
                case "name" -> name = f.getValue().text("'name'");
                case "path" -> paths.add(f.getValue().text("'path'"));
                case "paths" -> f.getValue().list("'paths'").forEach(p -> paths.add(p.text("each path")));
                case "normalize" -> {
                    normalization = Normalization.named(f.getValue().text("'normalize'"));
                    if (normalization == null) {
                        throw f.getValue().error("'normalize' must be one of id, email, phone.");
                    }
                }
                default -> throw new IllegalStateException(f.getKey());
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw item.error("an identifier type needs a 'name' of " + NAME_RULE + ", such as 'loyalty_id'.");
        }
        for (IdentifierType t : existing) {
            if (t.name().equals(name)) {
                throw item.get("name").error("the identifier type '" + name + "' exists already; pick another name.");
            }
        }
        if (paths.isEmpty()) {
            throw item.error(
                    "the identifier type '" + name + "' needs a 'path' in the event, such as 'traits.loyaltyId'.");
        }
        for (String p : paths) {
            if (!p.matches("[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*")) {
                throw item.error(
                        "'" + p + "' is not a dotted path such as 'traits.loyaltyId' or 'context.externalIds'.");
            }
        }
        return IdentifierType.of(name, normalization, paths.toArray(String[]::new));
    }

    private static List<IdentifierType> ordered(List<IdentifierType> types, List<String> priority, ConfigNode node) {
        Map<String, IdentifierType> byName = new LinkedHashMap<>();
        types.forEach(t -> byName.put(t.name(), t));
        List<IdentifierType> out = new ArrayList<>();
        for (int i = 0; i < priority.size(); i++) {
            IdentifierType t = byName.remove(priority.get(i));
            if (t == null) {
                throw node.get(Integer.toString(i))
                        .error("'" + priority.get(i)
                                + "' is not an identifier type, or is listed twice; known types are "
                                + types.stream().map(IdentifierType::name).toList() + ".");
            }
            out.add(t);
        }
        out.addAll(byName.values());
        return out;
    }

    private static Map<String, Limit> limitsFrom(ConfigNode node) {
        Map<String, Limit> limits = new HashMap<>();
        for (var f : node.fields(null, "'limits'")) {
            ConfigNode v = f.getValue();
            if (v.node().isNumber()) {
                limits.put(f.getKey(), Limit.ever(v.intIn(1, 100_000, "a limit")));
            } else {
                int max = 0;
                java.time.Duration window = null;
                for (var g : v.fields(Set.of("max", "window"), "a limit")) {
                    if (g.getKey().equals("max")) {
                        max = g.getValue().intIn(1, 100_000, "'max'");
                    } else {
                        window = g.getValue().duration("'window'");
                    }
                }
                if (max == 0) {
                    throw v.error("a limit needs 'max', such as '{max: 5, window: 7d}' or just '5'.");
                }
                limits.put(f.getKey(), new Limit(max, window));
            }
        }
        return limits;
    }

    private static Blocklist blockedFrom(ConfigNode node) {
        boolean defaults = true;
        List<String> values = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (var f : node.fields(Set.of("defaults", "values", "patterns"), "'blocked'")) {
            switch (f.getKey()) {
                case "defaults" -> defaults = f.getValue().bool("'defaults'");
                case "values" -> f.getValue().list("'values'").forEach(v -> values.add(v.text("each blocked value")));
                case "patterns" ->
                    f.getValue().list("'patterns'").forEach(v -> patterns.add(v.pattern("each blocked pattern")));
                default -> throw new IllegalStateException(f.getKey());
            }
        }
        Blocklist own = new Blocklist(Blocklist.lower(values), List.copyOf(patterns));
        return defaults ? Blocklist.defaults().plus(own) : own;
    }
}
