package dev.tandem.audit;

import dev.tandem.module.Caller;
import dev.tandem.module.Module;
import dev.tandem.module.Route;
import dev.tandem.module.Wiring;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's wiring: the log (for every later module to append to), its routes, and the
 * {@code audit.checkpoint} job: a checkpoint is signed at the first entry, at every start, and then
 * every {@link CheckpointJob#EVERY}. Composed early so that any capability can
 * record what it decides.
 */
public final class AuditModule implements Module {
    private static final Logger logger = LoggerFactory.getLogger(AuditModule.class);

    private final Path dataDir;
    private AuditLog log;

    public AuditModule(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public void wire(Wiring wiring) {
        log = new AuditLog(wiring.jdbi(), wiring.mapper(), wiring.clock());
        Checkpoints checkpoints = new Checkpoints(wiring.jdbi(), SigningKey.in(dataDir), wiring.clock());
        new AuditRoutes(
                        log,
                        new AuditVerifier(wiring.jdbi(), wiring.mapper(), checkpoints, wiring.clock()),
                        checkpoints,
                        wiring.mapper())
                .register(wiring.routes());
        wiring.routes().recordChanges(this::record);
        CheckpointJob job = new CheckpointJob(log, checkpoints, wiring.clock());
        wiring.job(job);
        // a log is anchored from its first entry, and at every start what the last run appended after its
        // last checkpoint: without these, a log without checkpoints could not be told from one whose were
        // deleted, and a tail from before a crash would look overdue until the job's first run
        log.onAppend(entry -> {
            if (entry.id() == 1) {
                checkpoints.of(log.head());
            }
        });
        wiring.onStart(() -> {
            try {
                job.sign();
            } catch (IllegalStateException e) {
                logger.atError().log("{}", e.getMessage());
            }
            wiring.scheduler()
                    .schedule(
                            CheckpointJob.KIND,
                            CheckpointJob.KEY,
                            wiring.clock().instant().plus(CheckpointJob.EVERY),
                            null);
        });
    }

    private void record(Context ctx, Route route) {
        if (route.path().startsWith("/v1/changes")) {
            return; // changes of workspace objects record themselves, with their tier and verdicts
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("route", route.method() + " " + route.path());
        detail.put("status", ctx.status().getCode());
        try {
            log.append(Caller.of(ctx), AuditKind.ADMIN_CHANGE, ctx.path(), detail);
        } catch (RuntimeException e) {
            // Why not fail the request: the change is made and answered for; an error here would tell
            // the caller it failed. The log line keeps the record, and /ready reports the store.
            logger.atError()
                    .setCause(e)
                    .addKeyValue("actor", Caller.of(ctx))
                    .addKeyValue("route", detail.get("route"))
                    .addKeyValue("object", ctx.path())
                    .log("could not append an admin change to the audit log");
        }
    }

    /** Where every capability records what it did; built by {@link #wire}. */
    public AuditLog log() {
        return log;
    }
}
