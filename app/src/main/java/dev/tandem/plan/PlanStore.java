package dev.tandem.plan;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The plans made through the API ({@code tracking_plans}): each declaration as JSON, read again at start. */
final class PlanStore {
    record Stored(String key, String declaration, long updatedAt) {}

    private final Jdbi jdbi;

    PlanStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    List<Stored> all() {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT plan_key, declaration, updated_at FROM tracking_plans ORDER BY plan_key")
                        .map((rs, ctx) -> new Stored(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        .list());
    }

    /** Creates or replaces; true when it was created. */
    boolean put(String key, String declaration, long at) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate(
                            "UPDATE tracking_plans SET declaration = :d, updated_at = :at WHERE plan_key = :k")
                    .bind("d", declaration)
                    .bind("at", at)
                    .bind("k", key)
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO tracking_plans (plan_key, declaration, updated_at) VALUES (:k, :d, :at)")
                        .bind("k", key)
                        .bind("d", declaration)
                        .bind("at", at)
                        .execute();
            }
            return updated == 0;
        });
    }

    boolean delete(String key) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM tracking_plans WHERE plan_key = :k")
                        .bind("k", key)
                        .execute())
                > 0;
    }
}
