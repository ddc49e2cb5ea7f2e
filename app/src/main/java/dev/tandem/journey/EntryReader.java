package dev.tandem.journey;

import dev.tandem.config.ConfigNode;
import dev.tandem.expr.Expression;
import dev.tandem.expr.ValueExpression;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads what of a journey names audiences and times: its {@code entry} (an event, an audience, or
 * a schedule), its {@code exitWhen} (an event's CEL as text, or { event, leftAudience }) and a
 * {@code wait_for} (an event or an audience, with a timeout).
 */
final class EntryReader {
    /** An audience's key, as the audience package requires it. */
    private static final Pattern AUDIENCE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}");

    /** Compiles an event expression (CEL over the event) at a node, naming it in errors. */
    private final BiFunction<ConfigNode, String, Expression> event;

    /** Compiles an entry key (a value over the event) at a node. */
    private final BiFunction<ConfigNode, String, ValueExpression> value;

    EntryReader(
            BiFunction<ConfigNode, String, Expression> event, BiFunction<ConfigNode, String, ValueExpression> value) {
        this.event = event;
        this.value = value;
    }

    JourneyDefinition.Entry entry(ConfigNode node) {
        if (node.isMissing()) {
            throw node.error(
                    "a journey needs an 'entry': { event: \"event == 'Signed Up'\" }, { audience: new_customers }"
                            + " or { schedule: { every: 1d, at: \"09:00\" }, audience: new_customers }.");
        }
        node.fields(Set.of("event", "key", "audience", "schedule"), "'entry'");
        boolean onEvent = !node.get("event").isMissing();
        boolean onAudience = !node.get("audience").isMissing();
        boolean onSchedule = !node.get("schedule").isMissing();
        if (!node.get("key").isMissing() && !onEvent) {
            throw node.get("key").error("'key' applies to an event entry only.");
        }
        if (onSchedule) {
            if (onEvent) {
                throw node.get("event")
                        .error("an entry on a 'schedule' enters the members of its 'audience' (every profile without"
                                + " one) at each pass, not on an event; remove 'event' or 'schedule'.");
            }
            return new JourneyDefinition.Entry(
                    null,
                    null,
                    onAudience ? audience(node.get("audience"), "'audience'") : null,
                    schedule(node.get("schedule")));
        }
        if (onEvent == onAudience) {
            throw node.error(
                    "'entry' needs exactly one of 'event' (CEL over the event) and 'audience' (an audience key),"
                            + " or a 'schedule'.");
        }
        if (onAudience) {
            return new JourneyDefinition.Entry(null, null, audience(node.get("audience"), "'audience'"), null);
        }
        ValueExpression key = node.get("key").isMissing() ? null : value.apply(node.get("key"), "'key'");
        return new JourneyDefinition.Entry(event.apply(node.get("event"), "'event'"), key, null, null);
    }

    /** {@code every} from 1h to 366d; {@code at} HH:MM (UTC), only with a whole number of days. */
    static JourneyDefinition.Schedule schedule(ConfigNode node) {
        if (node.node() == null || !node.node().isObject()) {
            throw node.error(
                    "'schedule' must be a mapping such as { every: 1d, at: \"09:00\" } (at: a time of day, UTC).");
        }
        node.fields(Set.of("every", "at"), "'schedule'");
        ConfigNode everyNode = node.get("every");
        Duration every;
        try {
            every = everyNode.duration("the schedule's 'every'");
        } catch (NumberFormatException | ArithmeticException e) {
            throw everyNode.error("the schedule's 'every' must be from 1h to 366d, such as 1d or 7d.");
        }
        if (every.compareTo(Duration.ofHours(1)) < 0 || every.compareTo(Duration.ofDays(366)) > 0) {
            throw everyNode.error("the schedule's 'every' must be from 1h to 366d, such as 1d or 7d.");
        }
        if (every.toSeconds() % 60 != 0) {
            throw everyNode.error("the schedule's 'every' must be a whole number of minutes, such as 90m or 1d.");
        }
        ConfigNode atNode = node.get("at");
        if (atNode.isMissing()) {
            return new JourneyDefinition.Schedule(every, null);
        }
        String text = atNode.text("the schedule's 'at'");
        LocalTime at;
        try {
            if (!TIME.matcher(text).matches()) {
                throw new DateTimeParseException("not HH:MM", text, 0);
            }
            at = LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw atNode.error("the schedule's 'at' must be a time of day as HH:MM, such as '09:00' (UTC).");
        }
        if (every.toSeconds() % 86_400 != 0) {
            throw everyNode.error(
                    "with 'at', the schedule's 'every' must be a whole number of days, such as 1d or 7d.");
        }
        return new JourneyDefinition.Schedule(every, at);
    }

    /** {@code exitWhen}: an event's CEL as text (the first form), or { event: ..., leftAudience: key }. */
    JourneyDefinition.ExitWhen exitWhen(ConfigNode node) {
        if (node.isMissing()) {
            return null;
        }
        if (node.node().isValueNode()) {
            return new JourneyDefinition.ExitWhen(event.apply(node, "'exitWhen'"), null);
        }
        if (!node.node().isObject()) {
            throw node.error("'exitWhen' is an event's CEL, such as \"event == 'Unsubscribed'\", or"
                    + " { event: ..., leftAudience: an audience key }.");
        }
        node.fields(Set.of("event", "leftAudience"), "'exitWhen'");
        if (node.get("event").isMissing() && node.get("leftAudience").isMissing()) {
            throw node.error(
                    "'exitWhen' needs 'event' (CEL over the event), 'leftAudience' (an audience key), or both.");
        }
        return new JourneyDefinition.ExitWhen(
                node.get("event").isMissing() ? null : event.apply(node.get("event"), "the exit's 'event'"),
                node.get("leftAudience").isMissing() ? null : audience(node.get("leftAudience"), "'leftAudience'"));
    }

    /** {@code wait_for}: exactly one of {@code event} and {@code audience}, a {@code timeout}, optional {@code on_timeout}. */
    Step.WaitFor waitFor(ConfigNode node, java.util.function.Function<ConfigNode, List<Step>> steps) {
        if (node.node() == null || !node.node().isObject()) {
            throw node.error(
                    "'wait_for' must be a mapping such as { event: \"event == 'Order Completed'\", timeout: 3d }"
                            + " or { audience: vip, timeout: 3d }.");
        }
        node.fields(Set.of("event", "audience", "timeout", "on_timeout"), "'wait_for'");
        boolean onEvent = !node.get("event").isMissing();
        if (onEvent == !node.get("audience").isMissing()) {
            throw node.error("'wait_for' needs exactly one of 'event' (CEL over the event) and 'audience' (an audience"
                    + " key the profile enters).");
        }
        return new Step.WaitFor(
                onEvent ? event.apply(node.get("event"), "'event'") : null,
                onEvent ? null : audience(node.get("audience"), "'audience'"),
                node.get("timeout").duration("'timeout'"),
                node.get("on_timeout").isMissing() ? List.of() : steps.apply(node.get("on_timeout")));
    }

    private static String audience(ConfigNode node, String what) {
        String key = node.text(what);
        if (!AUDIENCE.matcher(key).matches()) {
            throw node.error(what + " must be an audience key: lower-case letters, digits and '_', starting with a"
                    + " letter, such as 'vip'.");
        }
        return key;
    }
}
