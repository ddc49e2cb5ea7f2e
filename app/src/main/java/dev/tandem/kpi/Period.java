package dev.tandem.kpi;

import dev.tandem.error.BadRequest;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** A range of UTC days, both ends included, as {@code from} and {@code to} of a query give it. */
record Period(LocalDate from, LocalDate to) {
    /** The longest range a query may ask for. */
    static final int MAX_DAYS = 1830;
    /** The range when a query names none: the last 30 days, today included. */
    static final int DEFAULT_DAYS = 30;

    static Period of(String from, String to, Clock clock) {
        LocalDate end = to == null ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) : date(to, "to");
        LocalDate start = from == null ? end.minusDays(DEFAULT_DAYS - 1) : date(from, "from");
        if (start.isAfter(end)) {
            throw new BadRequest(
                    "invalid_range", "'from' (" + start + ") is after 'to' (" + end + "); give from <= to.", "from");
        }
        Period p = new Period(start, end);
        if (p.days() > MAX_DAYS) {
            throw new BadRequest(
                    "range_too_long",
                    "The range has " + p.days() + " days; ask for at most " + MAX_DAYS + " at a time.",
                    "from");
        }
        return p;
    }

    private static LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequest(
                    "invalid_date",
                    "'" + field + "' must be a date such as 2026-01-31, not '" + shortened(text) + "'.",
                    field);
        }
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The range of the same length just before this one. */
    Period previous() {
        return new Period(from.minusDays(days()), from.minusDays(1));
    }

    /** How a series groups days. */
    enum Interval {
        DAY,
        WEEK,
        MONTH;

        static Interval named(String name) {
            if (name == null) {
                return DAY;
            }
            return switch (name) {
                case "day" -> DAY;
                case "week" -> WEEK;
                case "month" -> MONTH;
                default ->
                    throw new BadRequest(
                            "invalid_interval",
                            "'interval' must be day, week or month, not '" + shortened(name) + "'.",
                            "interval");
            };
        }

        /** The first day of the interval holding {@code day}: the day, its week's Monday, its month's first. */
        LocalDate start(LocalDate day) {
            return switch (this) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
        }

        LocalDate next(LocalDate start) {
            return switch (this) {
                case DAY -> start.plusDays(1);
                case WEEK -> start.plusWeeks(1);
                case MONTH -> start.plusMonths(1);
            };
        }
    }
}
