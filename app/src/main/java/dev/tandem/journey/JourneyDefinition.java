package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.expr.Expression;
import dev.tandem.expr.ValueExpression;
import java.time.Duration;
import java.util.List;

/**
 * One journey as declared: its key and owners, how profiles enter (an event, with an optional key
 * for one instance per key, or an audience entered), when they may enter again, the share held
 * out, the goal measured, what makes them leave, and the steps. {@code declaration} is the JSON it
 * was read from: a changed declaration is a new version.
 */
record JourneyDefinition(
        String key,
        String name,
        List<String> owners,
        int declaredVersion,
        Entry entry,
        Reentry reentry,
        int holdout,
        Goal goal,
        ExitWhen exitWhen,
        List<Step> steps,
        JsonNode declaration) {

    /**
     * Entry on an event ({@code event} CEL, {@code key} optional), on entering {@code audience}, or on
     * a {@code schedule} (every member of {@code audience} at each pass; every profile when it is null).
     */
    record Entry(Expression event, ValueExpression key, String audience, Schedule schedule) {
        /** How {@code GET /v1/journeys} shows it. */
        String describe() {
            if (schedule != null) {
                return "every " + schedule.describe()
                        + (audience == null ? ", every profile" : ", members of " + audience);
            }
            return audience != null ? "on entering audience " + audience : "on " + event.source();
        }
    }

    /**
     * Passes every {@code every}; with {@code at}, the first is at that time of day (UTC) after the
     * journey went live, else one {@code every} after it went live.
     */
    record Schedule(Duration every, java.time.LocalTime at) {
        String describe() {
            String text = every.toDays() * 86_400 == every.toSeconds()
                    ? every.toDays() + "d"
                    : every.toHours() * 3600 == every.toSeconds() ? every.toHours() + "h" : every.toMinutes() + "m";
            return text + (at == null ? "" : " at " + at + " UTC");
        }
    }

    /** Ends an instance wherever it is: an event ({@code event} CEL) arrived, or the profile left {@code leftAudience}. */
    record ExitWhen(Expression event, String leftAudience) {}

    /** {@code once}, {@code always} (once the previous instance finished), or again {@code after} an interval. */
    record Reentry(String rule, Duration after) {
        static final Reentry ONCE = new Reentry("once", null);
    }

    /** Conversion: the goal event within the window after entry. */
    record Goal(Expression event, Duration within) {}

    /** Every send step, at any depth, in declaration order. */
    List<Step.Send> sends() {
        List<Step.Send> out = new java.util.ArrayList<>();
        collectSends(steps, out);
        return out;
    }

    private static void collectSends(List<Step> steps, List<Step.Send> out) {
        for (Step s : steps) {
            switch (s) {
                case Step.Send send -> out.add(send);
                case Step.Branch b -> b.cases().forEach(c -> collectSends(c.steps(), out));
                case Step.Split sp -> sp.arms().forEach(c -> collectSends(c.steps(), out));
                case Step.WaitFor w -> collectSends(w.onTimeout(), out);
                default -> {}
            }
        }
    }
}
