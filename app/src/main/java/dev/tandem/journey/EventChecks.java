package dev.tandem.journey;

import dev.tandem.expr.Expression;
import dev.tandem.expr.Facts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The event conditions the journey stage checks on each event of a batch: each live journey's entry
 * and goal, and the exit and {@code wait_for} events of every stored version (the
 * {@link JourneyBook.Cover}). A condition text that several journeys share is evaluated once per
 * event. Why: teams give many journeys the same goal or exit ("an order", "unsubscribed"), and
 * the stage checks every journey on every event.
 */
final class EventChecks {
    private final Collection<JourneyBook.Versioned> journeys;
    private final JourneyBook.Cover cover;
    private final List<Expression> distinct = new ArrayList<>();
    private final Map<String, Integer> bySource = new HashMap<>();
    private final int[] entries;
    private final int[] goals;
    private final int[] watched;

    EventChecks(Collection<JourneyBook.Versioned> journeys, JourneyBook.Cover cover) {
        this.journeys = journeys;
        this.cover = cover;
        entries = new int[journeys.size()];
        goals = new int[journeys.size()];
        int k = 0;
        for (JourneyBook.Versioned v : journeys) {
            JourneyDefinition d = v.journey().definition();
            entries[k] = index(d.entry().event());
            goals[k] = d.goal() == null ? -1 : index(d.goal().event());
            k++;
        }
        watched = cover.events().stream().mapToInt(this::index).toArray();
    }

    /** Whether these checks were built for this snapshot of the live journeys and this cover. */
    boolean isFor(Collection<JourneyBook.Versioned> live, JourneyBook.Cover now) {
        return live == journeys && now == cover;
    }

    /** The live journeys, in the order {@link Outcomes#enters} and {@link Outcomes#reachesGoal} number them. */
    Collection<JourneyBook.Versioned> journeys() {
        return journeys;
    }

    JourneyBook.Cover cover() {
        return cover;
    }

    private int index(Expression e) {
        if (e == null) {
            return -1;
        }
        return bySource.computeIfAbsent(e.source(), s -> {
            distinct.add(e);
            return distinct.size() - 1;
        });
    }

    /** One event's outcomes, each condition evaluated when first asked. */
    Outcomes of(com.fasterxml.jackson.databind.JsonNode event) {
        return new Outcomes(event);
    }

    final class Outcomes {
        private static final byte UNKNOWN = 0;
        private static final byte HOLDS = 1;
        private static final byte FAILS = 2;
        private final com.fasterxml.jackson.databind.JsonNode event;
        private final byte[] known = new byte[distinct.size()];
        private Map<String, Object> facts;

        private Outcomes(com.fasterxml.jackson.databind.JsonNode event) {
            this.event = event;
        }

        /** The event as the conditions read it. */
        Map<String, Object> facts() {
            if (facts == null) {
                facts = Facts.event(event);
            }
            return facts;
        }

        /** Whether the k-th live journey's entry condition holds (false when it has none). */
        boolean enters(int journey) {
            return holds(entries[journey]);
        }

        /** Whether the k-th live journey's goal event is this one. */
        boolean reachesGoal(int journey) {
            return holds(goals[journey]);
        }

        /**
         * Whether some stored version may exit or wake an instance on this event: when not, the
         * profile's instances in flight need not be read for it. Always true when the cover is not
         * complete.
         */
        boolean watched() {
            if (!cover.complete()) {
                return true;
            }
            for (int w : watched) {
                if (holds(w)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether this condition holds on the event (any condition: an exit of an older version too). */
        boolean holds(Expression e) {
            Integer k = e == null ? null : bySource.get(e.source());
            return k == null ? e != null && e.evaluate(facts()).matched() : holds(k);
        }

        private boolean holds(int k) {
            if (k < 0) {
                return false;
            }
            if (known[k] == UNKNOWN) {
                known[k] = distinct.get(k).evaluate(facts()).matched() ? HOLDS : FAILS;
            }
            return known[k] == HOLDS;
        }
    }
}
