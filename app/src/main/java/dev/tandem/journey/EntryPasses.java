package dev.tandem.journey;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The SQL of {@code journey_entry_passes}: where each scheduled journey's current or last pass is. */
final class EntryPasses {
    /** A pass: due at {@code at}, entered up to profile {@code after} ({@code entered} so far), finished or not. */
    record Pass(long at, long after, long entered, boolean finished) {}

    private final Jdbi jdbi;

    EntryPasses(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The journey's pass; a journey seen for the first time gets {@code first}, finished (nothing to enter yet). */
    Pass startOrRead(String journey, long first) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO journey_entry_passes (journey, pass_at, after_profile, entered, finished) "
                            + "VALUES (:j, :at, 0, 0, 1) ON CONFLICT (journey) DO NOTHING")
                    .bind("j", journey)
                    .bind("at", first)
                    .execute();
            return read(h, journey);
        });
    }

    Pass read(Handle h, String journey) {
        return h.createQuery("SELECT pass_at, after_profile, entered, finished FROM journey_entry_passes "
                        + "WHERE journey = :j")
                .bind("j", journey)
                .map((rs, ctx) -> new Pass(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4) == 1))
                .findOne()
                .orElse(null);
    }

    void save(Handle h, String journey, Pass p) {
        h.createUpdate("UPDATE journey_entry_passes SET pass_at = :at, after_profile = :after, entered = :n, "
                        + "finished = :done WHERE journey = :j")
                .bind("at", p.at())
                .bind("after", p.after())
                .bind("n", p.entered())
                .bind("done", p.finished() ? 1 : 0)
                .bind("j", journey)
                .execute();
    }

    /** A journey no longer entered on a schedule: its next schedule starts afresh. */
    void forget(String journey) {
        jdbi.useHandle(h -> h.execute("DELETE FROM journey_entry_passes WHERE journey = ?", journey));
    }
}
