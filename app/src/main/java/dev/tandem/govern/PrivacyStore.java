package dev.tandem.govern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The SQL of privacy requests. */
final class PrivacyStore {
    private static final String COLUMNS = "id, type, status, submitted_at, received_at, due_at, completed_at, identities, profile_ids, watermark, result";
    private static final RowMapper<PrivacyRequest> ROW = (rs, ctx) -> new PrivacyRequest(rs.getString(1), rs.getString(2), rs.getString(3),
            new PrivacyRequest.Times(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)), rs.getString(8), ids(rs.getString(9)),
            rs.getLong(10), rs.getString(11));

    private final Jdbi jdbi;

    PrivacyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void insert(Handle h, PrivacyRequest r) {
        h.createUpdate("INSERT INTO privacy_requests (" + COLUMNS + ") VALUES (:id, :type, :status, :submitted, :received, :due, NULL, "
                        + ":identities, :profiles, :watermark, NULL)")
                .bind("id", r.id()).bind("type", r.type()).bind("status", r.status()).bind("submitted", r.times().submitted())
                .bind("received", r.times().received()).bind("due", r.times().due()).bind("identities", r.identities())
                .bind("profiles", String.join(",", r.profiles().stream().map(String::valueOf).toList())).bind("watermark", r.watermark())
                .execute();
    }

    Optional<PrivacyRequest> get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM privacy_requests WHERE id = :id").bind("id", id).map(ROW).findOne());
    }

    /** The oldest pending request whose events have all been applied, if any. */
    Optional<PrivacyRequest> nextDue(long cursor) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM privacy_requests WHERE status = 'pending' AND watermark <= :c "
                        + "ORDER BY received_at, id LIMIT 1")
                .bind("c", cursor).map(ROW).findOne());
    }

    List<PrivacyRequest> list(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM privacy_requests ORDER BY received_at DESC LIMIT :n")
                .bind("n", limit).map(ROW).list());
    }

    void complete(Handle h, String id, long at, String result) {
        h.createUpdate("UPDATE privacy_requests SET status = 'completed', completed_at = :at, result = :r WHERE id = :id")
                .bind("at", at).bind("r", result).bind("id", id).execute();
    }

    private static List<Long> ids(String text) {
        return text == null || text.isEmpty() ? List.of() : new ArrayList<>(Arrays.stream(text.split(",")).map(Long::valueOf).toList());
    }
}
