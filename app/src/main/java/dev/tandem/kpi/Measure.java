package dev.tandem.kpi;

import dev.tandem.expr.Expression;
import dev.tandem.expr.ValueExpression;
import java.time.Duration;

/** What a KPI counts, by its type: each type's own expressions and settings. */
sealed interface Measure {
    /** The wire name of the type, as {@code type:} states it. */
    String type();

    /** Net promoter score of a 0-10 answer: promoters 9-10, passives 7-8, detractors 0-6. */
    record Nps(Expression events, ValueExpression value) implements Measure {
        public String type() {
            return "nps";
        }
    }

    /** The share (in percent) of answers on {@code scale} that fall within {@code box}, such as CSAT 4-5 of 1-5. */
    record TopBox(Expression events, ValueExpression value, Range scale, Range box) implements Measure {
        public String type() {
            return "top_box";
        }
    }

    /** The mean of a numeric value. */
    record Mean(Expression events, ValueExpression value) implements Measure {
        public String type() {
            return "mean";
        }
    }

    /** How many events matched. */
    record Count(Expression events) implements Measure {
        public String type() {
            return "count";
        }
    }

    /** The sum of a numeric value. */
    record Sum(Expression events, ValueExpression value) implements Measure {
        public String type() {
            return "sum";
        }
    }

    /** The share (in percent) of the events matching {@code denominator} for which {@code numerator} also holds. */
    record Ratio(Expression numerator, Expression denominator) implements Measure {
        public String type() {
            return "ratio";
        }
    }

    /**
     * The share (in percent) of a profile's {@code denominator} events followed by a {@code numerator}
     * event of the same profile within {@code window}; counted on the day of the denominator event.
     */
    record Conversion(Expression numerator, Expression denominator, Duration window) implements Measure {
        public String type() {
            return "conversion";
        }
    }

    /** Both ends included. */
    record Range(double low, double high) {
        boolean holds(double v) {
            return v >= low && v <= high;
        }
    }

    /** The conditions an event is held against: a KPI counts nothing for an event that meets none of them. */
    default java.util.List<Expression> conditions() {
        return switch (this) {
            case Nps m -> java.util.List.of(m.events());
            case TopBox m -> java.util.List.of(m.events());
            case Mean m -> java.util.List.of(m.events());
            case Count m -> java.util.List.of(m.events());
            case Sum m -> java.util.List.of(m.events());
            case Ratio m -> java.util.List.of(m.numerator(), m.denominator());
            case Conversion m -> java.util.List.of(m.numerator(), m.denominator());
        };
    }

    /** Whether the value is read as a percentage (0-100) whose interval is Wilson's. */
    default boolean proportion() {
        return this instanceof TopBox || this instanceof Ratio || this instanceof Conversion;
    }
}
