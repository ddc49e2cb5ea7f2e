package dev.tandem.govern;

import dev.tandem.audience.Memberships;
import dev.tandem.audit.AuditLog;
import dev.tandem.collect.InboxReader;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.profile.ProfileReader;
import dev.tandem.protect.KeyStore;
import dev.tandem.retain.ArchiveErasure;
import dev.tandem.schedule.SliceJob;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Governance at the end of the flow: privacy requests (access exports, erasures carried out
 * between batches, keys shredded), the policy routes, and the OpenDSR routes. The gate itself is
 * wired early, by {@link GuardrailsModule}.
 */
public final class GovernModule implements Module {
    /** The job kind of carrying out privacy requests and destroying the keys erasures owe. */
    static final String PRIVACY = "privacy.requests";
    /** How soon to look again while a request waits for the processor to reach its watermark. */
    private static final long WATERMARK_POLL_MILLIS = 50;

    private final GuardrailsModule guardrails;
    private final KeyStore keys;
    private final Reads reads;
    private final Settings settings;
    private final ErasureRecipients recipients;
    private final AuditLog audit;

    /** What governance reads of the rest of Tandem (and, for erasures, deletes of the archive). */
    public record Reads(
            IdentityLookup identities,
            ProfileReader profiles,
            Memberships memberships,
            InboxReader inbox,
            ArchiveErasure archives) {}

    /**
     * @param privacyDue how long a privacy request may take before it is overdue
     * @param publicUrl  where clients reach Tandem, for the links in request statuses
     */
    public record Settings(Duration privacyDue, Supplier<String> publicUrl) {}

    /** Whom governance tells of what it did: the destinations an erasure must reach, and the audit trail. */
    public record Notified(ErasureRecipients recipients, AuditLog audit) {}

    public GovernModule(GuardrailsModule guardrails, KeyStore keys, Reads reads, Settings settings, Notified notified) {
        this.recipients = notified.recipients();
        this.audit = notified.audit();
        this.guardrails = guardrails;
        this.keys = keys;
        this.reads = reads;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "govern";
    }

    @Override
    public void wire(Wiring wiring) {
        new PolicyRoutes(
                        guardrails.gate(),
                        new Subjects(reads.identities(), reads.profiles()),
                        guardrails.log(),
                        wiring.mapper())
                .register(wiring.routes());
        Suppressions suppressions = guardrails.suppressions();
        Erasure erasure = new Erasure(wiring.database(), wiring.pipeline(), reads, suppressions, recipients);
        PrivacyStore store = new PrivacyStore(wiring.jdbi(), audit);
        PrivacyWork privacy =
                new PrivacyWork(store, erasure, reads.identities(), keys, wiring.pipeline(), wiring.clock());
        // between batches, so an erasure never races one; back soon while a request waits for its watermark,
        // and for owed keys once the shredder's pause is over; scheduled when a request arrives and at every start
        wiring.job(new SliceJob(
                PRIVACY, wiring.clock(), privacy::run, now -> privacy.nextAttemptAt(now, WATERMARK_POLL_MILLIS)));
        Runnable due =
                () -> wiring.scheduler().schedule(PRIVACY, "all", wiring.clock().instant(), null);
        privacy.whenWoken(due);
        due.run();
        PrivacyRequests requests = new PrivacyRequests(
                store,
                reads.identities(),
                suppressions,
                reads.inbox(),
                new PrivacyRequests.Deadline(wiring.clock(), settings.privacyDue()));
        requests.carriedOutBy(privacy);
        AccessExport export = new AccessExport(reads, wiring.mapper());
        new PrivacyRoutes(requests, export, wiring.mapper(), settings.publicUrl()).register(wiring.routes());
    }
}
