package dev.tandem.retain;

import dev.tandem.collect.CollectModule;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.process.Processor;
import dev.tandem.profile.ProfileReader;

/**
 * Retention: the {@code retain.archive} job (scheduled at every start), the {@code retain} stage
 * after the profile stage, and {@link #archives()} for governance's erasures and access exports.
 */
public final class RetainModule implements Module {
    /** Rows a slice moves at the most: about a second of work, well within the scheduler's lease. */
    static final int SLICE = 10_000;

    private final CollectModule collect;
    private final ProfileReader profiles;
    private final Processor processor;
    private ArchiveErasure archives;

    public RetainModule(CollectModule collect, ProfileReader profiles, Processor processor) {
        this.collect = collect;
        this.profiles = profiles;
        this.processor = processor;
    }

    @Override
    public String name() {
        return "retain";
    }

    @Override
    public void wire(Wiring wiring) {
        Archiver archiver = new Archiver(
                new Archiver.Parts(wiring.database(), collect.archive(), collect.sources(), profiles, processor),
                wiring.mapper(),
                new Retentions(collect.declared()),
                wiring.pipeline()::position,
                wiring.clock(),
                SLICE);
        wiring.job(new RetentionJob(archiver, wiring.clock()));
        wiring.stage(new ArchivedIndex(collect.archive(), collect.inbox(), profiles));
        archives = new ArchiveErasure(collect.archive(), wiring.mapper());
        wiring.onStart(() -> wiring.scheduler()
                .schedule(RetentionJob.KIND, RetentionJob.KEY, wiring.clock().instant(), null));
    }

    /** The archive's side of erasures and access requests. */
    public ArchiveErasure archives() {
        return archives;
    }
}
