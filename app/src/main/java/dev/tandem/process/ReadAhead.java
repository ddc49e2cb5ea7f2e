package dev.tandem.process;

import dev.tandem.collect.StoredEvent;
import dev.tandem.pipeline.BatchItem;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next page of the inbox, read, parsed, opened and prepared by the stages
 * ({@link dev.tandem.pipeline.Stage#prepare}) on a thread of its own while the processor applies the
 * current one: the part of a batch that needs nothing the batch before it writes, moved to the
 * second core. Started only when a page came back full (a backlog), so a processor that keeps up
 * reads as before, and only while the machine's CPU is not saturated ({@link IngestFirst#coreToSpare}):
 * while tracking calls keep both cores busy, the second core is theirs.
 *
 * <p>Why it cannot go wrong: the page is taken only for the cursor it was read after (a replay, a
 * retry or a failed batch leaves the cursor elsewhere, and the page is dropped); it never runs beside
 * the work between batches (an erasure among it), because the processor waits for it at the end of
 * each batch and drops it whenever that work ran; and what the stages prepare is worked out from the
 * event alone.
 */
final class ReadAhead implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);

    /** A page of the inbox, parsed: an item for each event that reads, the reason for each that does not. */
    record Page(
            long after, List<StoredEvent> events, List<BatchItem> items, Map<StoredEvent, StageFailure> unreadable) {}

    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("processor-read-ahead").daemon(true).unstarted(r));
    private final LongFunction<Page> reader;
    private Future<Page> reading;
    private Page read;

    /** @param reader reads, parses and prepares the page after a seq; runs on the read-ahead thread */
    ReadAhead(LongFunction<Page> reader) {
        this.reader = reader;
    }

    /** Begins reading the page after {@code after}. */
    void start(long after) {
        settle();
        reading = thread.submit(() -> reader.apply(after));
    }

    /** Waits until the page being read is read, so that nothing runs beside the work between batches. */
    void settle() {
        if (reading == null) {
            return;
        }
        try {
            read = reading.get();
        } catch (ExecutionException e) {
            // the processor reads the page itself, and meets the same failure there, where it is handled
            log.atDebug().setCause(e.getCause()).log("reading ahead failed");
            read = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            read = null;
        }
        reading = null;
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

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
