package dev.tandem.decide;

import dev.tandem.audience.Memberships;
import dev.tandem.collect.CollectModule;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.module.Access;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.profile.ProfileReader;
import java.util.List;

/**
 * Decisions and experiments: the {@code experiment} stage (exposures and conversions), and
 * {@code POST /v1/decide} with its admin and results routes.
 */
public final class DecideModule implements Module {
    private final List<Placement> placements;
    private final DecideRate rate;
    private final CollectModule collect;
    private final ProfileReads reads;

    /** What decide reads of the profile side. */
    public record ProfileReads(IdentityLookup identities, ProfileReader profiles, Memberships memberships) {}

    public DecideModule(List<Placement> placements, DecideRate rate, CollectModule collect, ProfileReads reads) {
        this.placements = placements;
        this.rate = rate;
        this.collect = collect;
        this.reads = reads;
    }

    @Override
    public String name() {
        return "decide";
    }

    @Override
    public void wire(Wiring wiring) {
        wiring.stage(new ExperimentStage(wiring.jdbi(), placements));
        Decider decider = new Decider(
                placements,
                reads.identities(),
                reads.profiles(),
                reads.memberships(),
                wiring.jdbi(),
                collect.collector(),
                wiring.mapper(),
                wiring.clock());
        new DecideRoutes(
                        decider,
                        collect.sources(),
                        wiring.jdbi(),
                        wiring.mapper(),
                        wiring.routes().check(Access.scope("decide:explain")),
                        rate,
                        wiring.clock(),
                        collect.bodies())
                .register(wiring.routes());
    }
}
