package dev.tandem.kpi;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The day buckets: added to in the batch's transaction, read by day range. */
final class KpiStore {
    /** One bucket as read: dimension and member are '' for the KPI's total. */
    record Row(String dimension, String member, String day, Totals totals) {}

    private final Jdbi jdbi;

    KpiStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    static void add(Handle h, Map<Tally.Key, Tally> tallies) {
        if (tallies.isEmpty()) {
            return;
        }
        upsert(h, "kpi_buckets", "day", tallies);
        Map<Tally.Key, Tally> months = new java.util.HashMap<>();
        tallies.forEach((k, t) -> months.computeIfAbsent(
                        new Tally.Key(
                                k.kpi(), k.dimension(), k.member(), k.day().substring(0, 7)),
                        x -> new Tally())
                .add(t));
        upsert(h, "kpi_months", "month", months);
    }

    private static void upsert(Handle h, String table, String period, Map<Tally.Key, Tally> tallies) {
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO %1$s (kpi, dimension, member, %2$s, n, promoters, passives, detractors, total, squares)
                VALUES (:kpi, :dimension, :member, :period, :n, :promoters, :passives, :detractors, :total, :squares)
                ON CONFLICT (kpi, dimension, member, %2$s) DO UPDATE SET
                    n = %1$s.n + excluded.n,
                    promoters = %1$s.promoters + excluded.promoters,
                    passives = %1$s.passives + excluded.passives,
                    detractors = %1$s.detractors + excluded.detractors,
                    total = %1$s.total + excluded.total,
                    squares = %1$s.squares + excluded.squares
                """.formatted(table, period));
        for (var e : tallies.entrySet()) {
            Tally t = e.getValue();
            batch.bind("kpi", e.getKey().kpi())
                    .bind("dimension", e.getKey().dimension())
                    .bind("member", e.getKey().member())
                    .bind("period", e.getKey().day())
                    .bind("n", t.n)
                    .bind("promoters", t.promoters)
                    .bind("passives", t.passives)
                    .bind("detractors", t.detractors)
                    .bind("total", t.total)
                    .bind("squares", t.squares)
                    .add();
        }
        batch.execute();
    }

    /** The KPI's total per day from {@code from} to {@code to} (ISO dates, both included). */
    List<Row> days(String kpi, String from, String to) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT day, n, promoters, passives, detractors, total, squares FROM kpi_buckets
                        WHERE kpi = :kpi AND dimension = '' AND member = '' AND day >= :from AND day <= :to
                        """)
                .bind("kpi", kpi)
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new Row("", "", rs.getString(1), totals(rs, 2)))
                .list());
    }

    /**
     * Each value of the dimension over the days, added up by the database: the whole months inside the
     * range from {@code kpi_months}, the days at its ends from {@code kpi_buckets}, so a year of 50
     * values adds up about 600 month rows and at most 60 days of each value, not 18,250 rows.
     */
    List<Row> members(String kpi, String dimension, String from, String to) {
        java.time.LocalDate start = java.time.LocalDate.parse(from);
        java.time.LocalDate end = java.time.LocalDate.parse(to);
        java.time.LocalDate firstMonth =
                start.getDayOfMonth() == 1 ? start : start.withDayOfMonth(1).plusMonths(1);
        java.time.LocalDate afterLast = end.plusDays(1).withDayOfMonth(1);
        if (end.plusDays(1).getDayOfMonth() != 1) {
            afterLast = end.withDayOfMonth(1);
        }
        Map<String, Totals> sums = new java.util.TreeMap<>();
        if (firstMonth.isBefore(afterLast)) {
            sum(
                    sums,
                    "kpi_months",
                    "month",
                    kpi,
                    dimension,
                    firstMonth.toString().substring(0, 7),
                    afterLast.minusMonths(1).toString().substring(0, 7));
            if (start.isBefore(firstMonth)) {
                sum(
                        sums,
                        "kpi_buckets",
                        "day",
                        kpi,
                        dimension,
                        from,
                        firstMonth.minusDays(1).toString());
            }
            if (!afterLast.isAfter(end)) {
                sum(sums, "kpi_buckets", "day", kpi, dimension, afterLast.toString(), to);
            }
        } else {
            sum(sums, "kpi_buckets", "day", kpi, dimension, from, to);
        }
        List<Row> out = new java.util.ArrayList<>();
        sums.forEach((m, t) -> out.add(new Row(dimension, m, "", t)));
        return out;
    }

    private void sum(
            Map<String, Totals> sums,
            String table,
            String period,
            String kpi,
            String dimension,
            String from,
            String to) {
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT member, SUM(n), SUM(promoters), SUM(passives), SUM(detractors), SUM(total), SUM(squares)
                        FROM %1$s
                        WHERE kpi = :kpi AND dimension = :dimension AND %2$s >= :from AND %2$s <= :to
                        GROUP BY member
                        """.formatted(table, period))
                .bind("kpi", kpi)
                .bind("dimension", dimension)
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> sums.merge(rs.getString(1), totals(rs, 2), Totals::plus))
                .list());
    }

    private static Totals totals(java.sql.ResultSet rs, int at) throws java.sql.SQLException {
        return new Totals(
                rs.getLong(at),
                rs.getLong(at + 1),
                rs.getLong(at + 2),
                rs.getLong(at + 3),
                rs.getDouble(at + 4),
                rs.getDouble(at + 5));
    }

    /** The values a dimension has stored (every month row has its day rows), for the cap on how many it keeps apart. */
    java.util.Set<String> memberNames(String kpi, String dimension) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT DISTINCT member FROM kpi_months WHERE kpi = :kpi AND dimension = :dimension")
                        .bind("kpi", kpi)
                        .bind("dimension", dimension)
                        .mapTo(String.class)
                        .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new)));
    }

    static void reset(Handle h) {
        h.execute("DELETE FROM kpi_buckets");
        h.execute("DELETE FROM kpi_months");
        h.execute("DELETE FROM kpi_windows");
    }
}
