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
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO kpi_buckets (kpi, dimension, member, day, n, promoters, passives, detractors, total, squares)
                VALUES (:kpi, :dimension, :member, :day, :n, :promoters, :passives, :detractors, :total, :squares)
                ON CONFLICT (kpi, dimension, member, day) DO UPDATE SET
                    n = kpi_buckets.n + excluded.n,
                    promoters = kpi_buckets.promoters + excluded.promoters,
                    passives = kpi_buckets.passives + excluded.passives,
                    detractors = kpi_buckets.detractors + excluded.detractors,
                    total = kpi_buckets.total + excluded.total,
                    squares = kpi_buckets.squares + excluded.squares
                """);
        for (var e : tallies.entrySet()) {
            Tally t = e.getValue();
            batch.bind("kpi", e.getKey().kpi())
                    .bind("dimension", e.getKey().dimension())
                    .bind("member", e.getKey().member())
                    .bind("day", e.getKey().day())
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
     * Each value of the dimension over the days, added up by the database: a year of 50 values is 50
     * rows to read, not 18,250.
     */
    List<Row> members(String kpi, String dimension, String from, String to) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT member, SUM(n), SUM(promoters), SUM(passives), SUM(detractors), SUM(total), SUM(squares)
                        FROM kpi_buckets
                        WHERE kpi = :kpi AND dimension = :dimension AND day >= :from AND day <= :to
                        GROUP BY member
                        """)
                .bind("kpi", kpi)
                .bind("dimension", dimension)
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new Row(dimension, rs.getString(1), "", totals(rs, 2)))
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

    static void reset(Handle h) {
        h.execute("DELETE FROM kpi_buckets");
        h.execute("DELETE FROM kpi_windows");
    }
}
