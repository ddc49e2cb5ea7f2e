package dev.tandem.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.EventLog;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.process.InboxEvents.Page;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next page of the inbox, read, parsed, opened and prepared by the stages
 * ({@link dev.tandem.pipeline.Stage#prepare}) on a thread of its own while the processor applies the
 * current one: the part of a batch that needs nothing the batch before it writes, moved to the
 * second core. Started only when a page came back full (a backlog), so a processor that keeps up
 * reads as before, and only while no tracking calls are coming in ({@link IngestFirst#coreToSpare}):
 * while they are, the second core is theirs.
 *
 * <p>Why it cannot go wrong: the page is taken only for the cursor it was read after (a replay, a
 * retry or a failed batch leaves the cursor elsewhere, and the page is dropped); it never runs beside
 * the work between batches (an erasure among it), because the processor waits for it at the end of
 * each batch and drops it whenever that work ran; and what the stages prepare is worked out from the
 * event alone.
 */
final class ReadAhead implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("processor-read-ahead").daemon(true).unstarted(r));
    private final EventLog inbox;
    private final ObjectMapper mapper;
    private final Pipeline pipeline;
    private final int batchSize;
    private final BatchCpu cpu;
    private Future<Page> reading;
    private Page read;
    private boolean failedBefore;

    ReadAhead(EventLog inbox, ObjectMapper mapper, Pipeline pipeline, int batchSize, MeterRegistry meters) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.pipeline = pipeline;
        this.batchSize = batchSize;
        this.cpu = new BatchCpu(meters);
    }

    /** Begins reading the page after {@code after}. */
    void start(long after) {
        settle();
        reading = thread.submit(() -> page(after));
    }

    /** On the read-ahead thread: the page after {@code after}, parsed, opened and prepared by the stages. */
    private Page page(long after) {
        long began = cpu.now();
        Page page = InboxEvents.parse(mapper, inbox, after, inbox.after(after, batchSize));
        pipeline.prepare(page.items());
        cpu.cpuOnly("read-ahead", began);
        return page;
    }

    /**
     * Waits until the page being read is read, so that nothing runs beside the work between batches.
     * An interrupt does not cut the wait short (the task would go on reading beside that work); it is
     * kept for the caller.
     */
    void settle() {
        if (reading == null) {
            return;
        }
        boolean interrupted = false;
        read = null;
        while (true) {
            try {
                read = reading.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // the processor reads the page itself, and meets the same failure there, where it is handled
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (!failedBefore) {
                    failedBefore = true;
                    log.atWarn()
                            .setCause(cause)
                            .log("reading ahead failed; the processor reads its pages itself (logged once)");
                } else {
                    log.atDebug().setCause(cause).log("reading ahead failed");
                }
                break;
            }
        }
        reading = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The page after {@code after} when it was read ahead; else null, and whatever was read is dropped. */
    Page take(long after) {
        settle();
        Page page = read;
        read = null;
        return page != null && page.after() == after ? page : null;
    }

    /** Forgets the page read ahead: the work between batches ran, and may have changed what it holds. */
    void drop() {
        settle();
        read = null;
    }

    /** Lets a page being read finish (it reads the store, which closes after this), then ends the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
