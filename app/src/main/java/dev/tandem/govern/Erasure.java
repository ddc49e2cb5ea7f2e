package dev.tandem.govern;

import dev.tandem.collect.InboxErasure;
import dev.tandem.identity.Identifier;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.identity.ProfileIdentifier;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.profile.ProfileReader;
import dev.tandem.retain.ArchiveErasure;
import dev.tandem.store.Database;
import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Deletes everything Tandem holds about profiles, in two transactions (the inbox's, then the
 * derived data's): each stage's data (identity
 * links and merges, documents, event index, consent history, memberships, experiment arms), the
 * profiles' events in the inbox and quarantined events naming their identifiers, and the decision
 * log's entries about them, and their events in the archive files; and suppresses every identifier they had, so new events carrying one
 * are not stored. Runs on the processor thread, between batches.
 */
final class Erasure {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Database database;
    private final Pipeline pipeline;
    private final ProfileReader profiles;
    private final IdentityLookup identities;
    private final Suppressions suppressions;
    private final dev.tandem.protect.Tokenizer tokens;
    private final dev.tandem.collect.EventSealing sealing;
    private final ArchiveErasure archives;
    private final ErasureRecipients recipients;

    Erasure(
            Database database,
            Pipeline pipeline,
            GovernModule.Reads reads,
            Suppressions suppressions,
            ErasureRecipients recipients) {
        this.recipients = recipients;
        this.archives = reads.archives();
        this.sealing = reads.inbox().sealing();
        this.database = database;
        this.pipeline = pipeline;
        this.profiles = reads.profiles();
        this.identities = reads.identities();
        this.suppressions = suppressions;
        this.tokens = identities.tokenizer();
    }

    /** What the erasure found to delete, before it runs. */
    record Scope(Set<Long> profiles, List<Identifier> identifiers) {}

    Scope scope(Collection<Long> survivors, List<Identifier> requested) {
        Set<Long> family = identities.family(survivors);
        List<Identifier> ids = new ArrayList<>(requested);
        for (long p : survivors) {
            for (ProfileIdentifier pi : identities.identifiers(p)) {
                Identifier id = new Identifier(pi.type(), pi.value());
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return new Scope(family, List.copyOf(ids));
    }

    /**
     * Deletes inside the caller's transaction; returns counts for the request's result. {@code cursor}
     * is the processor's: events after it that carry one of the identifiers are deleted too, so that
     * processing them later cannot bring the profile back. The identifiers are suppressed in memory
     * first (a failed transaction leaves them suppressed until restart: the safe side).
     */
    Map<String, Object> erase(Handle h, String requestId, Scope scope, long now, long cursor) {
        List<Long> seqs = profiles.eventSeqs(h, scope.profiles());
        suppressions.addNow(scope.identifiers());
        suppressions.add(h, requestId, scope.identifiers(), now);
        // Why the inbox first, in its own transaction (its own file on SQLite): when the derived data's
        // transaction then fails, the request stays open and runs again, and deleting raw events is
        // idempotent; the other order could complete a request whose raw events were never deleted.
        // The archive's manifest lives beside the inbox (inbox.db on SQLite), so its files are rewritten in the same
        // transaction.
        ArchiveErasure.Erased[] archived = new ArchiveErasure.Erased[1];
        int[] raw = database.inbox().jdbi().inTransaction(ih -> {
            int[] counts = {
                InboxErasure.eraseUnprocessed(ih, cursor, suppressions, MAPPER, sealing),
                InboxErasure.erase(ih, seqs),
                scope.identifiers().isEmpty()
                        ? 0
                        : InboxErasure.eraseQuarantined(ih, new Mentions(scope.identifiers(), suppressions, MAPPER))
            };
            archived[0] = archives.erase(
                    ih,
                    scope.profiles(),
                    suppressions,
                    scope.identifiers().isEmpty()
                            ? text -> false
                            : new Mentions(scope.identifiers(), suppressions, MAPPER));
            return counts;
        });
        int backlog = raw[0];
        int events = raw[1];
        int quarantined = raw[2];
        List<String> told = recipients.queueDeletions(h, scope.profiles(), scope.identifiers(), requestId, now);
        pipeline.erase(h, scope.profiles());
        int logged = 0;
        for (List<Long> chunk : InLists.chunks(scope.profiles())) {
            logged += h.createUpdate("DELETE FROM gate_log WHERE subject IN (<p>)")
                    .bindList("p", chunk)
                    .execute();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("profiles_deleted", scope.profiles().size());
        result.put("identifiers_suppressed", scope.identifiers().size());
        result.put("events_deleted", events + backlog);
        result.put("quarantined_events_deleted", quarantined);
        result.put("archived_events_deleted", archived[0].events());
        result.put("archived_quarantined_events_deleted", archived[0].quarantined());
        result.put("policy_decisions_deleted", logged);
        result.put("destination_deletions_queued", told.size());
        result.put("destination_deletions", told);
        return result;
    }

    /** After the commit: the SQLite WAL forgets old page images, and memoized tokens of the identifiers are dropped. */
    void committed(Scope scope) {
        tokens.forgetAll();
        database.scrubLog();
    }
}
