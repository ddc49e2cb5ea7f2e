package dev.tandem.govern;

import dev.tandem.identity.IdentityRules;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.protect.Classifier;
import dev.tandem.protect.ReadPolicy;

/**
 * The policy gate and the suppression list, wired before collection because the flow consults
 * them all along: the collector drops events of erased subjects, and the read side masks personal
 * data for callers without a purpose. Their routes, and privacy requests, come with
 * {@link GovernModule} at the end, once profiles can be read.
 */
public final class GuardrailsModule implements Module {
    private final Policy policy;
    private final Classifier classifier;
    private final IdentityRules identity;
    private GateLog log;
    private Gate gate;
    private Suppressions suppressions;

    public GuardrailsModule(Policy policy, Classifier classifier, IdentityRules identity) {
        this.policy = policy;
        this.classifier = classifier;
        this.identity = identity;
    }

    @Override
    public String name() {
        return "guardrails";
    }

    @Override
    public void wire(Wiring wiring) {
        log = wiring.closeable(new GateLog(wiring.jdbi(), wiring.clock()));
        gate = new Gate(policy, classifier, log);
        suppressions = new Suppressions(wiring.jdbi(), identity);
    }

    public Gate gate() {
        return gate;
    }

    GateLog log() {
        return log;
    }

    /** How reads are masked for callers without a purpose, as the gate decides. */
    public ReadPolicy reads() {
        return new GovernedReads(gate);
    }

    public Suppressions suppressions() {
        return suppressions;
    }
}
