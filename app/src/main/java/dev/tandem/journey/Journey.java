package dev.tandem.journey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A journey read from tandem.yaml, with its steps addressed by path: {@code "2"} is the third
 * top-level step, {@code "2/1/0"} the first step of the second case of the branch at {@code "2"}.
 * Instances store their path, so an instance is always at a step of its own version.
 */
public final class Journey {
    private final JourneyDefinition definition;
    /**
     * Every step by its path, and the path after each: worked out once per version, because a walk
     * asks both at every step (a dry run over a million profiles, a slice of 2,000 timers), and
     * parsing the path each time was most of a walk's cost.
     */
    private final Map<String, Step> byPath = new HashMap<>();

    private final Map<String, String> after = new HashMap<>();

    private final boolean readsEntryEvent;

    Journey(JourneyDefinition definition) {
        this.definition = definition;
        for (String[] p : paths()) {
            byPath.put(p[0], find(p[0]));
        }
        for (String path : byPath.keySet()) {
            String next = findNext(path);
            after.put(path, next == null ? END : next);
        }
        this.readsEntryEvent = findEntryEventReads();
    }

    private static final String END = "";

    public String key() {
        return definition.key();
    }

    JourneyDefinition definition() {
        return definition;
    }

    /** The step at {@code path}, or null when the path names none (a path of another version). */
    Step at(String path) {
        return byPath.get(path);
    }

    private Step find(String path) {
        if (path.equals("-")) {
            return null;
        }
        List<Step> list = definition.steps();
        String[] parts = path.split("/");
        Step step = null;
        for (int i = 0; i < parts.length; i++) {
            int index = Integer.parseInt(parts[i]);
            if (i % 2 == 0) {
                if (index >= list.size()) {
                    return null;
                }
                step = list.get(index);
            } else {
                List<Step> nested = nested(step, index);
                if (nested == null) {
                    return null;
                }
                list = nested;
            }
        }
        return step;
    }

    /** The steps of a branch's case, a split's arm, or a wait_for's timeout (case 0). */
    static List<Step> nested(Step step, int index) {
        return switch (step) {
            case Step.Branch b ->
                index < b.cases().size() ? b.cases().get(index).steps() : null;
            case Step.Split s -> index < s.arms().size() ? s.arms().get(index).steps() : null;
            case Step.WaitFor w -> index == 0 ? w.onTimeout() : null;
            default -> null;
        };
    }

    /** The path after the step at {@code path} is done (out of nested lists as they end); null at the end. */
    String next(String path) {
        String known = after.get(path);
        if (known != null) {
            return known.equals(END) ? null : known;
        }
        return findNext(path);
    }

    private String findNext(String path) {
        List<String> parts = new ArrayList<>(List.of(path.split("/")));
        while (true) {
            int last = Integer.parseInt(parts.get(parts.size() - 1)) + 1;
            parts.set(parts.size() - 1, Integer.toString(last));
            String candidate = String.join("/", parts);
            if (find(candidate) != null) {
                return candidate;
            }
            if (parts.size() == 1) {
                return null;
            }
            parts.remove(parts.size() - 1);
            parts.remove(parts.size() - 1);
        }
    }

    /** The first step of case {@code index} of the step at {@code path}, or the step after it when the case is empty. */
    String into(String path, int index) {
        String first = path + "/" + index + "/0";
        return at(first) != null ? first : next(path);
    }

    /** Its {@code wait_for} steps: the stage watches the instances waiting at them. */
    List<Step.WaitFor> waitFors() {
        List<Step.WaitFor> out = new ArrayList<>();
        for (String[] p : paths()) {
            if (p[1].equals("wait_for") && at(p[0]) instanceof Step.WaitFor w) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * The traits a walk of this journey can read: those its branches name, a wait's date trait and
     * the time zone; every trait when an update computes a value (its expression is not looked into).
     * A dry run decrypts only these of each profile's personal traits.
     */
    java.util.function.Predicate<String> traitsRead() {
        List<dev.tandem.expr.Expression> conditions = new ArrayList<>();
        java.util.Set<String> named = new java.util.HashSet<>(java.util.Set.of("timezone"));
        for (String[] p : paths()) {
            switch (at(p[0])) {
                case Step.Branch b ->
                    b.cases().stream().filter(c -> c.when() != null).forEach(c -> conditions.add(c.when()));
                case Step.Wait w when w.trait() != null -> named.add(w.trait());
                case Step.Update u -> {
                    return name -> true;
                }
                default -> {}
            }
        }
        java.util.function.Predicate<String> read = dev.tandem.expr.Expression.traitsRead(conditions);
        return name -> named.contains(name) || read.test(name);
    }

    /**
     * Whether a walk of this journey can read the entering event: a branch condition names one of
     * the message's variables, or an update computes a value (its expression is not looked into).
     * Only then does the runner read an instance's entering event back from the inbox.
     */
    boolean readsEntryEvent() {
        return readsEntryEvent;
    }

    private boolean findEntryEventReads() {
        for (String[] p : paths()) {
            switch (at(p[0])) {
                case Step.Branch b -> {
                    for (Step.Case c : b.cases()) {
                        if (c.when() != null
                                && dev.tandem.expr.Facts.MESSAGE_VARIABLES.stream()
                                        .anyMatch(c.when()::readsVariable)) {
                            return true;
                        }
                    }
                }
                case Step.Update u -> {
                    return true;
                }
                default -> {}
            }
        }
        return false;
    }

    /** Every step path with its kind, in declaration order (what stats and the dry run count by). */
    List<String[]> paths() {
        List<String[]> out = new ArrayList<>();
        walk(definition.steps(), "", out);
        return out;
    }

    private static void walk(List<Step> steps, String prefix, List<String[]> out) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String path = prefix + i;
            out.add(new String[] {path, s.kind()});
            for (int c = 0; ; c++) {
                List<Step> nested = nested(s, c);
                if (nested == null) {
                    break;
                }
                walk(nested, path + "/" + c + "/", out);
            }
        }
    }
}
