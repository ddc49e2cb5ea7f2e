package dev.tandem.module;

import io.javalin.http.Context;

/**
 * Told of every request that changed something through a guarded route: a method other than GET
 * that passed its {@link Access} check and answered 2xx. The audit trail records each one, so no
 * admin change goes unrecorded, whichever package's route made it.
 */
@FunctionalInterface
public interface ChangeRecorder {
    void changed(Context ctx, Route route);
}
