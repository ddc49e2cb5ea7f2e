package dev.tandem.kpi;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Conversion windows, one row per denominator event that opened one: the profile's latest window per
 * KPI is read when the batch has events of that profile, and converted by its first numerator event
 * within the KPI's window.
 */
final class Windows {
    /** A window: when and on which day it opened, the dimension values it counts under, whether it converted. */
    static final class Window {
        final String kpi;
        final long profile;
        final long startedAt;
        final String day;
        final List<String[]> members;
        boolean converted;
        boolean fresh;
        boolean changed;

        Window(String kpi, long profile, long startedAt, String day, List<String[]> members) {
            this.kpi = kpi;
            this.profile = profile;
            this.startedAt = startedAt;
            this.day = day;
            this.members = members;
        }
    }

    record Owner(String kpi, long profile) {}

    private final Jdbi jdbi;

    Windows(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The latest window of each KPI for these profiles. */
    Map<Owner, Window> latest(Collection<Long> profiles) {
        Map<Owner, Window> out = new HashMap<>();
        if (profiles.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT kpi, profile_id, started_at, day, members, converted FROM kpi_windows
                        WHERE profile_id IN (<profiles>) ORDER BY started_at
                        """)
                .bindList("profiles", List.copyOf(profiles))
                .map((rs, ctx) -> {
                    Window w = new Window(
                            rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), decode(rs.getString(5)));
                    w.converted = rs.getInt(6) == 1;
                    return out.put(new Owner(w.kpi, w.profile), w);
                })
                .list());
        return out;
    }

    static void write(Handle h, Collection<Window> windows) {
        PreparedBatch insert = h.prepareBatch("""
                INSERT INTO kpi_windows (kpi, profile_id, started_at, day, members, converted)
                VALUES (:kpi, :profile, :startedAt, :day, :members, :converted)
                ON CONFLICT (kpi, profile_id, started_at) DO UPDATE SET converted = excluded.converted
                """);
        int rows = 0;
        for (Window w : windows) {
            if (w.changed) {
                insert.bind("kpi", w.kpi)
                        .bind("profile", w.profile)
                        .bind("startedAt", w.startedAt)
                        .bind("day", w.day)
                        .bind("members", encode(w.members))
                        .bind("converted", w.converted ? 1 : 0)
                        .add();
                rows++;
            }
        }
        if (rows > 0) {
            insert.execute();
        }
    }

    static void erase(Handle h, Collection<Long> profiles) {
        if (profiles.isEmpty()) {
            return; // an erasure that found no profile (an IN of nothing is no SQL)
        }
        h.createUpdate("DELETE FROM kpi_windows WHERE profile_id IN (<profiles>)")
                .bindList("profiles", List.copyOf(profiles))
                .execute();
    }

    // dimension and value pairs, separated by control characters that CEL values never carry once trimmed
    private static String encode(List<String[]> members) {
        StringBuilder b = new StringBuilder();
        for (String[] m : members) {
            b.append(m[0]).append('\u001f').append(m[1]).append('\u001e');
        }
        return b.toString();
    }

    private static List<String[]> decode(String text) {
        List<String[]> out = new java.util.ArrayList<>();
        for (String pair : text.split("\u001e")) {
            int at = pair.indexOf('\u001f');
            if (at > 0) {
                out.add(new String[] {pair.substring(0, at), pair.substring(at + 1)});
            }
        }
        return out;
    }
}
