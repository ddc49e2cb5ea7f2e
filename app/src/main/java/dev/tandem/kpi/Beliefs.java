package dev.tandem.kpi;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** What teams believe (beliefs) and what people rate (ratings), kept with their history in {@code kpi_beliefs}. */
final class Beliefs {
    /** One belief or rating: the KPI, the dimension value it is about ('' and '' for the whole KPI), by whom, when. */
    record Belief(long id, String kpi, Target by, boolean rating, double value, Source source) {}

    /** The dimension and its value a belief is about; both '' for the KPI's total. */
    record Target(String dimension, String member) {
        boolean whole() {
            return dimension.isEmpty();
        }
    }

    /** Who holds it: the team, the author, the note (may be null) and when (epoch milliseconds). */
    record Source(String team, String author, String note, long at) {}

    private final Jdbi jdbi;

    Beliefs(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    long add(String kpi, Target by, boolean rating, double value, Source source) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO kpi_beliefs (kpi, dimension, member, rating, value, team, author, note, at)
                        VALUES (:kpi, :dimension, :member, :rating, :value, :team, :author, :note, :at)
                        """)
                .bind("kpi", kpi)
                .bind("dimension", by.dimension())
                .bind("member", by.member())
                .bind("rating", rating ? 1 : 0)
                .bind("value", value)
                .bind("team", source.team())
                .bind("author", source.author())
                .bind("note", source.note())
                .bind("at", source.at())
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    /** Every belief and rating, of one KPI or (null) all, oldest first. */
    List<Belief> all(String kpi) {
        String where = kpi == null ? "" : " WHERE kpi = :kpi";
        return jdbi.withHandle(h -> {
            var q = h.createQuery(
                    "SELECT id, kpi, dimension, member, rating, value, team, author, note, at FROM kpi_beliefs" + where
                            + " ORDER BY at, id");
            if (kpi != null) {
                q.bind("kpi", kpi);
            }
            return q.map((rs, ctx) -> new Belief(
                            rs.getLong(1),
                            rs.getString(2),
                            new Target(rs.getString(3), rs.getString(4)),
                            rs.getInt(5) == 1,
                            rs.getDouble(6),
                            new Source(rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10))))
                    .list();
        });
    }
}
