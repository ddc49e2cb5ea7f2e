package dev.tandem.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audience builder's form as a value: groups of conditions on traits, computed traits, events,
 * channels, sources and consent, joined by AND or OR, and the CEL condition it writes. Each field a
 * person got wrong gets its error in words under the form field's name ({@code g0.c1.value}).
 */
record AudienceBuilder(String join, List<AudienceBuilder.Group> groups, Map<String, String> errors) {
    record Group(String join, List<Condition> conditions) {}

    /** One condition: {@code on} what (trait, computed, events, channel, source, consent), its name, operator and value. */
    record Condition(String on, String name, String op, String value) {
        static Condition blank() {
            return new Condition("trait", "", "eq", "");
        }
    }

    static final List<String> ON = List.of("trait", "computed", "events", "channel", "source", "consent");
    static final Map<String, String> OPS = ops();
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,15}(\\.\\d{1,9})?");

    static AudienceBuilder blank() {
        return new AudienceBuilder("and", List.of(new Group("and", List.of(Condition.blank()))), Map.of());
    }

    /** The builder as the form posted it: {@code join}, {@code g0.join}, {@code g0.c0.on}, {@code .name}, {@code .op}, {@code .value}. */
    static AudienceBuilder from(Context ctx) {
        List<Group> groups = new ArrayList<>();
        for (int g = 0; ctx.formParam("g" + g + ".join") != null && g < 10; g++) {
            List<Condition> conditions = new ArrayList<>();
            for (int c = 0; ctx.formParam("g" + g + ".c" + c + ".on") != null && c < 20; c++) {
                String p = "g" + g + ".c" + c + ".";
                conditions.add(new Condition(
                        param(ctx, p + "on"), param(ctx, p + "name"), param(ctx, p + "op"), param(ctx, p + "value")));
            }
            groups.add(new Group(join(param(ctx, "g" + g + ".join")), conditions));
        }
        if (groups.isEmpty()) {
            return blank();
        }
        return new AudienceBuilder(join(param(ctx, "join")), groups, Map.of());
    }

    AudienceBuilder withCondition(int group) {
        List<Group> out = new ArrayList<>(groups);
        if (group >= 0 && group < out.size()) {
            List<Condition> c = new ArrayList<>(out.get(group).conditions());
            c.add(Condition.blank());
            out.set(group, new Group(out.get(group).join(), c));
        }
        return new AudienceBuilder(join, out, errors);
    }

    AudienceBuilder withGroup() {
        List<Group> out = new ArrayList<>(groups);
        out.add(new Group("and", List.of(Condition.blank())));
        return new AudienceBuilder(join, out, errors);
    }

    /** The CEL condition, with the errors of every field that could not be written (empty CEL then). */
    AudienceBuilder checked() {
        Map<String, String> found = new LinkedHashMap<>();
        write(found);
        return new AudienceBuilder(join, groups, found);
    }

    String cel() {
        return write(new LinkedHashMap<>());
    }

    String error(String field) {
        return errors.getOrDefault(field, "");
    }

    private String write(Map<String, String> found) {
        List<String> parts = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<String> terms = new ArrayList<>();
            Group group = groups.get(g);
            for (int c = 0; c < group.conditions().size(); c++) {
                String term = term(group.conditions().get(c), "g" + g + ".c" + c + ".", found);
                if (term != null) {
                    terms.add(term);
                }
            }
            if (!terms.isEmpty()) {
                String joined = String.join(group.join().equals("or") ? " || " : " && ", terms);
                parts.add(terms.size() > 1 && groups.size() > 1 ? "(" + joined + ")" : joined);
            }
        }
        if (!found.isEmpty()) {
            return "";
        }
        return String.join(join.equals("or") ? " || " : " && ", parts);
    }

    private static String term(Condition c, String field, Map<String, String> found) {
        String name = c.name().trim();
        String value = c.value().trim();
        if (name.isEmpty() && value.isEmpty() && !c.on().equals("events")) {
            return null; // a row not filled in yet: no condition, and no error before anything was typed
        }
        boolean named = !c.on().equals("events") && !c.on().equals("channel") && !c.on().equals("source");
        if (named && !NAME.matcher(name).matches()) {
            found.put(
                    field + "name",
                    "A name is letters, digits and '_', starting with a letter (such as plan or orders_30d).");
            return null;
        }
        return switch (c.on()) {
            case "trait", "computed" ->
                compare((c.on().equals("trait") ? "traits." : "computed.") + name, c.op(), value, field, found);
            case "events" -> {
                if (!value.matches("\\d{1,9}")
                        || !List.of("eq", "ne", "gt", "ge", "lt", "le").contains(c.op())) {
                    found.put(
                            field + "value",
                            "The number of events is a whole number, compared with =, ≠, >, ≥, < or ≤.");
                    yield null;
                }
                yield "event_count " + OPS.get(c.op()) + " " + value;
            }
            case "channel", "source" -> {
                if (value.isEmpty()) {
                    found.put(
                            field + "value",
                            "Name the " + c.on() + (c.on().equals("channel") ? " (web, mobile, server)." : "."));
                    yield null;
                }
                String in = literalString(value) + " in " + (c.on().equals("channel") ? "channels" : "sources");
                yield c.op().equals("ne") ? "!(" + in + ")" : in;
            }
            case "consent" -> {
                String granted = "(has(consent." + name + ") && consent." + name + ")";
                yield c.op().equals("ne") ? "!" + granted : granted;
            }
            default -> {
                found.put(field + "on", "Choose what the condition is on: " + String.join(", ", ON) + ".");
                yield null;
            }
        };
    }

    private static String compare(String path, String op, String value, String field, Map<String, String> found) {
        String has = "has(" + path + ")";
        if (op.equals("exists")) {
            return has;
        }
        if (!OPS.containsKey(op)) {
            found.put(field + "op", "Choose how to compare.");
            return null;
        }
        boolean number = NUMBER.matcher(value).matches();
        if (List.of("gt", "ge", "lt", "le").contains(op) && !number) {
            found.put(field + "value", "Comparing with " + OPS.get(op) + " needs a number, such as 3 or 49.90.");
            return null;
        }
        if (op.equals("includes")) {
            // a list, such as a `unique` computed trait of one event's property over a window: "did X with p = v in N
            // days"
            String literal = number ? value : literalString(value);
            return "(" + has + " && " + literal + " in " + path + ")";
        }
        if (op.equals("contains")) {
            return "(" + has + " && string(" + path + ").contains(" + literalString(value) + "))";
        }
        String literal = number ? value : value.equals("true") || value.equals("false") ? value : literalString(value);
        return op.equals("ne")
                ? "(!" + has + " || " + path + " != " + literal + ")"
                : "(" + has + " && " + path + " " + OPS.get(op) + " " + literal + ")";
    }

    private static String literalString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> {
                    if (ch >= 0x20) {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static Map<String, String> ops() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("eq", "==");
        m.put("ne", "!=");
        m.put("gt", ">");
        m.put("ge", ">=");
        m.put("lt", "<");
        m.put("le", "<=");
        m.put("contains", "contains");
        m.put("includes", "includes");
        m.put("exists", "exists");
        return m;
    }

    private static String join(String j) {
        return "or".equals(j) ? "or" : "and";
    }

    private static String param(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.length() > 500 ? v.substring(0, 500) : v;
    }
}
