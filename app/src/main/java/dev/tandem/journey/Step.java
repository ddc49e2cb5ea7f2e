package dev.tandem.journey;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.expr.Expression;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

/** One step of a journey, as declared; nested steps (a branch's, a split's) are lists of these. */
sealed interface Step permits Step.Wait, Step.WaitFor, Step.Branch, Step.Split, Step.Send, Step.Update, Step.Exit {

    /** What the step is, as the API names it. */
    String kind();

    /**
     * Waits a duration, until a local time of day in the profile's time zone, or until a date trait
     * plus an offset (which may be negative); exactly one of the three is set.
     */
    record Wait(Duration duration, LocalTime until, String trait, Duration offset) implements Step {
        public String kind() {
            return "wait";
        }
    }

    /**
     * Waits for an event (CEL over it) or for the profile to enter {@code audience} (exactly one is
     * set; already a member goes on at once) at most {@code timeout}; on timeout runs
     * {@code onTimeout} (then goes on).
     */
    record WaitFor(Expression event, String audience, Duration timeout, List<Step> onTimeout) implements Step {
        public String kind() {
            return "wait_for";
        }
    }

    /** The first case whose condition holds runs its steps, then the journey goes on after the branch. */
    record Branch(List<Case> cases) implements Step {
        public String kind() {
            return "branch";
        }
    }

    /** A case of a branch or an arm of a split: {@code when} is null for an arm (and for a branch's otherwise). */
    record Case(String name, Expression when, int percent, List<Step> steps) {}

    /** Sticky random arms whose percentages sum to 100. */
    record Split(List<Case> arms) implements Step {
        public String kind() {
            return "split";
        }
    }

    /**
     * A message to a destination, through the policy gate; {@code channel} is what frequency caps
     * count (the destination's key unless named); {@code exempt} sends (transactional) are not capped.
     */
    record Send(String destination, ObjectNode message, String channel, boolean exempt) implements Step {
        public String kind() {
            return "send";
        }
    }

    /**
     * Sets a trait on the profile: an identify event Tandem emits (message id from the send id, so a
     * repeat is deduplicated by the inbox), with the value of a CEL expression over the profile.
     */
    record Update(String trait, dev.tandem.expr.ValueExpression value) implements Step {
        public String kind() {
            return "update";
        }
    }

    /** Ends the instance with a reason. */
    record Exit(String reason) implements Step {
        public String kind() {
            return "exit";
        }
    }
}
