package dev.tandem.identity;

import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.protect.Tokenizer;

/** Identity resolution: the {@code resolve} stage, and the lookup every read side uses. */
public final class IdentityModule implements Module {
    private final IdentityRules rules;
    private final Tokenizer tokens;
    private IdentityLookup lookup;

    public IdentityModule(IdentityRules rules, Tokenizer tokens) {
        this.rules = rules;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public void wire(Wiring wiring) {
        wiring.stage(new Resolver(wiring.jdbi(), rules, tokens, 3L * wiring.cachedProfiles(), wiring.meters()));
        lookup = new IdentityLookup(wiring.jdbi(), rules, tokens);
    }

    public IdentityLookup lookup() {
        return lookup;
    }
}
