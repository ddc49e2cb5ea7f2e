package dev.tandem.process;

import dev.tandem.collect.EventLog;
import dev.tandem.collect.InboxReader;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.schedule.Lane;

/**
 * The processor over the inbox, running the pipeline the later modules fill with their stages,
 * and the scheduler's pipeline lane between batches; it starts once every module is wired. Brings {@code /v1/admin/processor}, replay and the processing
 * quarantine's routes.
 */
public final class ProcessModule implements Module {
    /** Pipeline-lane jobs run between two batches at the most; each is a bounded slice. */
    private static final int BETWEEN_BATCHES = 8;

    private final InboxReader inbox;
    private final EventLog history;
    private final int batchSize;
    private final IngestFirst yielding;
    private Processor processor;

    /**
     * @param inbox   the live inbox, for the routes
     * @param history what the processor reads: the inbox, and the archives when it replays from the start
     */
    public ProcessModule(InboxReader inbox, EventLog history, int batchSize, IngestFirst yielding) {
        this.inbox = inbox;
        this.history = history;
        this.batchSize = batchSize;
        this.yielding = yielding;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public void wire(Wiring wiring) {
        Processor.BetweenBatches between = () -> wiring.scheduler().runDue(Lane.PIPELINE, BETWEEN_BATCHES) > 0;
        processor = wiring.closeable(new Processor(
                wiring.database(),
                history,
                wiring.mapper(),
                wiring.pipeline(),
                between,
                batchSize,
                wiring.clock(),
                wiring.meters()));
        processor.yieldTo(yielding);
        new ProcessRoutes(processor, inbox, wiring.mapper()).register(wiring.routes());
        wiring.onStart(processor::start);
    }

    public Processor processor() {
        return processor;
    }
}
