package dev.tandem.profile;

import dev.tandem.collect.CollectModule;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.protect.ReadPolicy;
import dev.tandem.protect.TraitSealer;

/** Profiles: the {@code profile} stage, the reader every read side uses, and the Profile API. */
public final class ProfileModule implements Module {
    private final ProfileRules rules;
    private final TraitSealer sealer;
    private final CollectModule collect;
    private final IdentityLookup identities;
    private final ReadPolicy reads;
    private ProfileReader reader;

    public ProfileModule(
            ProfileRules rules,
            TraitSealer sealer,
            CollectModule collect,
            IdentityLookup identities,
            ReadPolicy reads) {
        this.rules = rules;
        this.sealer = sealer;
        this.collect = collect;
        this.identities = identities;
        this.reads = reads;
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public void wire(Wiring wiring) {
        ProfileStore store = new ProfileStore(wiring.jdbi(), wiring.mapper(), sealer);
        reader = new ProfileReader(store, rules, collect.sourceName(), wiring.clock());
        wiring.stage(new ProfileUpdater(store, rules, collect.sourceName(), wiring.cachedProfiles(), wiring.clock()));
        new ProfileRoutes(reader, identities, collect.inbox(), reads, wiring.mapper()).register(wiring.routes());
    }

    public ProfileReader reader() {
        return reader;
    }
}
