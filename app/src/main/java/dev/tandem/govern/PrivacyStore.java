package dev.tandem.govern;

import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The SQL of privacy requests. */
final class PrivacyStore {
    private static final String COLUMNS =
            "id, type, status, submitted_at, received_at, due_at, completed_at, identities, profile_ids, watermark, result, status_reason";
    private static final RowMapper<PrivacyRequest> ROW = (rs, ctx) -> new PrivacyRequest(
            rs.getString(1),
            type(rs.getString(2)),
            status(rs.getString(3)),
            new PrivacyRequest.Times(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)),
            rs.getString(8),
            ids(rs.getString(9)),
            rs.getLong(10),
            rs.getString(11),
            rs.getString(12));

    private final Jdbi jdbi;
    private final AuditLog audit;

    /** Requests submitted and completed are recorded in {@code audit}, by id and type, once committed. */
    PrivacyStore(Jdbi jdbi, AuditLog audit) {
        this.jdbi = jdbi;
        this.audit = audit;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    void insert(Handle h, PrivacyRequest r, String actor) {
        h.afterCommit(() -> audit.append(
                actor,
                AuditKind.PRIVACY_REQUESTED,
                "privacy_request:" + r.id(),
                Map.of("type", r.type().wireName(), "profiles", r.profiles().size())));
        h.createUpdate("INSERT INTO privacy_requests (" + COLUMNS
                        + ") VALUES (:id, :type, :status, :submitted, :received, :due, NULL, "
                        + ":identities, :profiles, :watermark, NULL, NULL)")
                .bind("id", r.id())
                .bind("type", r.type().wireName())
                .bind("status", r.status().wireName())
                .bind("submitted", r.times().submitted())
                .bind("received", r.times().received())
                .bind("due", r.times().due())
                .bind("identities", r.identities())
                .bind(
                        "profiles",
                        String.join(
                                ",", r.profiles().stream().map(String::valueOf).toList()))
                .bind("watermark", r.watermark())
                .execute();
    }

    Optional<PrivacyRequest> get(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM privacy_requests WHERE id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    /** The oldest pending request whose events have all been applied, if any. */
    Optional<PrivacyRequest> nextDue(long cursor) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM privacy_requests WHERE status = :pending AND watermark <= :c "
                                + "ORDER BY received_at, id LIMIT 1")
                .bind("pending", PrivacyRequest.Status.PENDING.wireName())
                .bind("c", cursor)
                .map(ROW)
                .findOne());
    }

    List<PrivacyRequest> list(int limit) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT " + COLUMNS + " FROM privacy_requests ORDER BY received_at DESC LIMIT :n")
                        .bind("n", limit)
                        .map(ROW)
                        .list());
    }

    void complete(Handle h, String id, long at, String result) {
        h.afterCommit(() -> completed(id, result));
        h.createUpdate(
                        "UPDATE privacy_requests SET status = :completed, completed_at = :at, result = :r, status_reason = NULL WHERE id = :id")
                .bind("completed", PrivacyRequest.Status.COMPLETED.wireName())
                .bind("at", at)
                .bind("r", result)
                .bind("id", id)
                .execute();
    }

    /** An erasure whose data is deleted, still waiting for its keys to be destroyed. */
    void waiting(Handle h, String id, String result, String reason) {
        h.createUpdate(
                        "UPDATE privacy_requests SET status = :waiting, result = :r, status_reason = :why WHERE id = :id")
                .bind("waiting", PrivacyRequest.Status.IN_PROGRESS.wireName())
                .bind("r", result)
                .bind("why", reason)
                .bind("id", id)
                .execute();
    }

    /** Says why each of these requests still waits. */
    void waiting(Handle h, java.util.Map<String, String> reasons) {
        reasons.forEach((id, why) -> h.createUpdate(
                        "UPDATE privacy_requests SET status_reason = :why WHERE id = :id AND status = :waiting")
                .bind("waiting", PrivacyRequest.Status.IN_PROGRESS.wireName())
                .bind("why", why)
                .bind("id", id)
                .execute());
    }

    /** Completes the waiting erasures among {@code ids} that no longer wait for any key. */
    void completeWhenNoKeysLeft(Handle h, java.util.Collection<String> ids, long at) {
        for (List<String> chunk : dev.tandem.store.InLists.chunks(ids)) {
            List<String> completing = h.createQuery(
                            "SELECT id FROM privacy_requests WHERE status = :waiting "
                                    + "AND id IN (<ids>) AND NOT EXISTS (SELECT 1 FROM erasure_keys k WHERE k.request_id = privacy_requests.id)")
                    .bind("waiting", PrivacyRequest.Status.IN_PROGRESS.wireName())
                    .bindList("ids", chunk)
                    .mapTo(String.class)
                    .list();
            h.afterCommit(() -> completing.forEach(id -> completed(id, null)));
            h.createUpdate(
                            "UPDATE privacy_requests SET status = :completed, completed_at = :at, status_reason = NULL WHERE status = :waiting "
                                    + "AND id IN (<ids>) AND NOT EXISTS (SELECT 1 FROM erasure_keys k WHERE k.request_id = privacy_requests.id)")
                    .bind("completed", PrivacyRequest.Status.COMPLETED.wireName())
                    .bind("waiting", PrivacyRequest.Status.IN_PROGRESS.wireName())
                    .bind("at", at)
                    .bindList("ids", chunk)
                    .execute();
        }
    }

    private void completed(String id, String result) {
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("status", PrivacyRequest.Status.COMPLETED.wireName());
        if (result != null) {
            // counts only: the result of a request holds numbers of rows, profiles and deliveries
            try {
                detail.put("result", dev.tandem.config.Json.mapper().readTree(result));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a privacy request's result is not JSON: " + e.getMessage(), e);
            }
        }
        audit.append("system", AuditKind.PRIVACY_COMPLETED, "privacy_request:" + id, detail);
    }

    private static PrivacyRequest.Type type(String stored) {
        PrivacyRequest.Type type = PrivacyRequest.Type.named(stored);
        if (type == null) {
            throw new IllegalStateException("A stored privacy request has the unknown type '" + stored + "'.");
        }
        return type;
    }

    private static PrivacyRequest.Status status(String stored) {
        PrivacyRequest.Status status = PrivacyRequest.Status.named(stored);
        if (status == null) {
            throw new IllegalStateException("A stored privacy request has the unknown status '" + stored + "'.");
        }
        return status;
    }

    private static List<Long> ids(String text) {
        return text == null || text.isEmpty()
                ? List.of()
                : new ArrayList<>(
                        Arrays.stream(text.split(",")).map(Long::valueOf).toList());
    }
}
