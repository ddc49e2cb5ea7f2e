package dev.tandem.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Splits the values of an {@code IN (...)} list into pieces of at most {@value #SIZE}, one query
 * each: a list of thousands of parameters makes one statement that both databases plan and bind
 * slowly, and every batch lookup of the stages would otherwise repeat this loop.
 */
public final class InLists {
    public static final int SIZE = 500;

    private InLists() {}

    public static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = List.copyOf(values);
        List<List<T>> chunks = new ArrayList<>((all.size() + SIZE - 1) / SIZE);
        for (int from = 0; from < all.size(); from += SIZE) {
            chunks.add(all.subList(from, Math.min(all.size(), from + SIZE)));
        }
        return chunks;
    }

    /** Reads one row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs a query whose {@code <ids>} is an IN list of these ids, a chunk at a time, through plain
     * JDBC, and hands each row to {@code out}. Why not Jdbi's {@code bindList}: each list length is a
     * new statement text that Jdbi parses again, and its row mapping costs more than the row; in a
     * batch's lookups both showed in profiles. {@code before} is bound to the {@code ?} ahead of the
     * list.
     */
    public static <T> void select(
            Handle h, String sql, Collection<Long> ids, Row<T> row, Consumer<T> out, Object... before) {
        for (List<Long> chunk : chunks(ids)) {
            try (PreparedStatement st = h.getConnection().prepareStatement(expand(sql, chunk.size()))) {
                for (int i = 0; i < before.length; i++) {
                    st.setObject(i + 1, before[i]);
                }
                for (int i = 0; i < chunk.size(); i++) {
                    st.setLong(before.length + i + 1, chunk.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.accept(row.read(rs));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Query failed: " + sql + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Runs an update whose {@code <ids>} is an IN list of these ids, a chunk at a time, through plain
     * JDBC, with {@code before} bound to the {@code ?} ahead of the list; the rows changed.
     */
    public static int update(Handle h, String sql, Collection<Long> ids, Object... before) {
        int changed = 0;
        for (List<Long> chunk : chunks(ids)) {
            try (PreparedStatement st = h.getConnection().prepareStatement(expand(sql, chunk.size()))) {
                for (int i = 0; i < before.length; i++) {
                    st.setObject(i + 1, before[i]);
                }
                for (int i = 0; i < chunk.size(); i++) {
                    st.setLong(before.length + i + 1, chunk.get(i));
                }
                changed += st.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("Update failed: " + sql + ": " + e.getMessage(), e);
            }
        }
        return changed;
    }

    /** {@code n} parameters for an IN list: {@code ?,?,?}. */
    public static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    private static String expand(String sql, int n) {
        if (!sql.contains("<ids>")) {
            throw new IllegalArgumentException("the statement has no <ids> list: " + sql);
        }
        return sql.replace("<ids>", placeholders(n));
    }
}
