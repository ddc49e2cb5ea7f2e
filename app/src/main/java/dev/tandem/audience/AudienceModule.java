package dev.tandem.audience;

import dev.tandem.config.ConfigException;
import dev.tandem.expr.Expressions;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.profile.ProfileReader;
import dev.tandem.protect.ReadPolicy;
import dev.tandem.schedule.SliceJob;
import java.util.List;

/**
 * Audiences: the real-time {@code audience} stage, the background computation of new and edited
 * audiences (the {@code audience.compute} job, between batches), memberships for the read sides, and the Audience API and admin
 * routes.
 */
public final class AudienceModule implements Module {
    /** The job kind of the background computation of new and edited audiences, and the purge of deleted ones. */
    static final String COMPUTE = "audience.compute";

    private final List<AudienceDefinition> declared;
    private final Expressions expressions;
    private final IdentityLookup identities;
    private final ProfileReader profiles;
    private final ReadPolicy reads;
    private Memberships memberships;

    public AudienceModule(
            List<AudienceDefinition> declared,
            Expressions expressions,
            IdentityLookup identities,
            ProfileReader profiles,
            ReadPolicy reads) {
        this.declared = declared;
        this.expressions = expressions;
        this.identities = identities;
        this.profiles = profiles;
        this.reads = reads;
    }

    @Override
    public String name() {
        return "audience";
    }

    @Override
    public void wire(Wiring wiring) {
        Audiences audiences = new Audiences(wiring.jdbi(), wiring.mapper(), expressions, wiring.clock());
        try {
            audiences.declare(declared);
        } catch (RuntimeException e) {
            throw new ConfigException("tandem.yaml audiences: " + e.getMessage());
        }
        AudienceStage stage =
                new AudienceStage(wiring.jdbi(), audiences, wiring.cachedProfiles(), wiring.clock(), wiring.meters());
        wiring.stage(stage);
        Background background = new Background(wiring.jdbi(), audiences, profiles, identities, wiring.clock());
        // a slice at a time between batches, keeping the stage's cache current; scheduled when audiences
        // change and at every start, so a computation cut short by a restart goes on
        wiring.job(new SliceJob(COMPUTE, wiring.clock(), () -> background.step(stage), SliceJob.DONE_WHEN_IDLE));
        Runnable due =
                () -> wiring.scheduler().schedule(COMPUTE, "all", wiring.clock().instant(), null);
        audiences.onChange(due);
        due.run();
        memberships = new Memberships(wiring.jdbi(), audiences);
        AudienceRoutes routes = new AudienceRoutes(
                wiring.jdbi(),
                audiences,
                new MemberIdentifiers(identities, reads),
                profiles,
                new Preview(expressions, profiles, identities, wiring.mapper(), wiring.clock()),
                wiring.mapper());
        routes.register(wiring.routes());
        AudienceAdminRoutes admin =
                new AudienceAdminRoutes(audiences, expressions, routes, profiles, wiring.mapper(), wiring.changes());
        admin.register(wiring.routes());
        wiring.changeable(admin.kind());
    }

    public Memberships memberships() {
        return memberships;
    }
}
