package dev.tandem.process;

import dev.tandem.collect.InboxReader;
import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import java.util.function.BooleanSupplier;

/**
 * The processor over the inbox, running the pipeline the later modules fill with their stages; it
 * starts once every module is wired. Brings {@code /v1/admin/processor}, replay and the processing
 * quarantine's routes.
 */
public final class ProcessModule implements Module {
    private final InboxReader inbox;
    private final int batchSize;
    private Processor processor;

    public ProcessModule(InboxReader inbox, int batchSize) {
        this.inbox = inbox;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public void wire(Wiring wiring) {
        Processor.BetweenBatches between = () -> {
            boolean worked = false;
            for (BooleanSupplier work : wiring.betweenBatches()) {
                worked |= work.getAsBoolean();
            }
            return worked;
        };
        processor = wiring.closeable(new Processor(wiring.database(), inbox, wiring.mapper(), wiring.pipeline(), between, batchSize,
                wiring.clock(), wiring.meters()));
        new ProcessRoutes(processor, inbox, wiring.mapper()).register(wiring.routes());
        wiring.onStart(processor::start);
    }

    public Processor processor() {
        return processor;
    }
}
