package dev.tandem.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.EventTime;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import dev.tandem.store.Database;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the pipeline to the inbox, in seq order, on one thread. Each batch commits the stages'
 * changes and the cursor in one transaction: after a crash the next start resumes at the cursor,
 * and no event is lost or applied twice. On a failure every stage discards its uncommitted work
 * and the batch is retried with a growing pause.
 */
public final class Processor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Processor.class);
    private static final String CURSOR = "main";
    private static final long IDLE_PAUSE_NANOS = 20_000_000L;
    /** Batches between WAL checkpoints, and one when the inbox is drained: see Database.checkpoint. */
    private static final int CHECKPOINT_EVERY = 25;

    private final Database database;
    private final Jdbi jdbi;
    private final InboxReader inbox;
    private final ObjectMapper mapper;
    private final List<Stage> stages;
    private final int batchSize;
    private final Clock clock;
    private final Counter processed;
    private final AtomicLong lagEvents = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean replayRequested;
    private volatile long cursor;
    private volatile long latest;
    private volatile String lastError;
    private volatile long replayTarget = -1;
    private volatile long replayStartedAt;
    private int batchesSinceCheckpoint;

    public Processor(Database database, InboxReader inbox, ObjectMapper mapper, List<Stage> stages, int batchSize, Clock clock, MeterRegistry meters) {
        this.database = database;
        this.jdbi = database.jdbi();
        this.inbox = inbox;
        this.mapper = mapper;
        this.stages = List.copyOf(stages);
        this.batchSize = batchSize;
        this.clock = clock;
        this.processed = Counter.builder("tandem.process.events").description("Events applied by the pipeline").register(meters);
        meters.gauge("tandem.process.lag.events", lagEvents);
        meters.gauge("tandem.process.lag.seconds", lagMillis, v -> v.get() / 1000.0);
        this.cursor = readCursor();
        this.thread = Thread.ofPlatform().name("processor").daemon(true).unstarted(this::run);
    }

    public Processor start() {
        thread.start();
        return this;
    }

    /** The status with the newest inbox seq read now, so that {@code lagEvents() == 0} means all stored events are applied. */
    public ProcessorStatus statusNow() {
        latest = Math.max(latest, inbox.latestSeq());
        return status();
    }

    public ProcessorStatus status() {
        String state = !running ? "stopped" : lastError != null ? "failing" : replayTarget >= 0 ? "replaying" : "running";
        return new ProcessorStatus(cursor, latest, state, lastError, replayTarget);
    }

    /**
     * Asks for a replay: at the next batch boundary every stage deletes what it derived, the cursor
     * goes back to 0 and the whole inbox is applied again under the current rules.
     */
    public void replay() {
        replayStartedAt = clock.millis();
        replayTarget = Math.max(latest, inbox.latestSeq());
        replayRequested = true;
        LockSupport.unpark(thread);
    }

    /** Applies one batch on the calling thread; false when the inbox had nothing new. For tests and benchmarks of a stopped processor. */
    public boolean step() {
        List<StoredEvent> page = inbox.events(null, cursor, batchSize);
        latest = Math.max(latest, page.isEmpty() ? inbox.latestSeq() : page.get(page.size() - 1).seq());
        if (page.isEmpty()) {
            checkpointIfDue(true);
            lagEvents.set(Math.max(0, latest - cursor));
            lagMillis.set(0);
            return false;
        }
        List<BatchItem> batch = parse(page);
        lagMillis.set(Math.max(0, clock.millis() - receivedAt(batch.get(0))));
        try {
            for (Stage stage : stages) {
                stage.process(batch);
            }
            long next = page.get(page.size() - 1).seq();
            database.inDerivedTransaction(h -> {
                for (Stage stage : stages) {
                    stage.write(h);
                }
                h.createUpdate("UPDATE process_cursors SET seq = :seq WHERE name = :name").bind("seq", next).bind("name", CURSOR).execute();
            });
            stages.forEach(Stage::committed);
            cursor = next;
        } catch (RuntimeException e) {
            stages.forEach(Stage::discard);
            throw e;
        }
        processed.increment(page.size());
        checkpointIfDue(false);
        lagEvents.set(Math.max(0, latest - cursor));
        if (replayTarget >= 0 && cursor >= replayTarget) {
            log.atInfo().addKeyValue("events", replayTarget).addKeyValue("ms", clock.millis() - replayStartedAt).log("replay done");
            replayTarget = -1;
        }
        return true;
    }

    /** Runs one slice of every stage's background work on the calling thread; true when any had work. */
    public boolean background() {
        boolean worked = false;
        for (Stage stage : stages) {
            worked |= stage.background();
        }
        return worked;
    }

    /** Checkpoints every CHECKPOINT_EVERY batches, and once the inbox is drained after any batch. */
    private void checkpointIfDue(boolean idle) {
        if (idle ? batchesSinceCheckpoint > 0 : ++batchesSinceCheckpoint >= CHECKPOINT_EVERY) {
            database.checkpoint();
            batchesSinceCheckpoint = 0;
        }
    }

    private void run() {
        long pause = 100;
        while (running) {
            try {
                if (replayRequested) {
                    resetForReplay();
                }
                boolean worked = step();
                worked |= background();
                lastError = null;
                pause = 100;
                if (!worked) {
                    LockSupport.parkNanos(IDLE_PAUSE_NANOS);
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                log.atWarn().setCause(e).addKeyValue("cursor", cursor).addKeyValue("retryInMs", pause)
                        .log("processing failed; the batch will be retried");
                LockSupport.parkNanos(pause * 1_000_000L);
                pause = Math.min(pause * 2, 10_000);
            }
        }
    }

    private void resetForReplay() {
        replayRequested = false;
        jdbi.useTransaction(h -> {
            for (Stage stage : stages) {
                stage.reset(h);
            }
            h.createUpdate("UPDATE process_cursors SET seq = 0 WHERE name = :name").bind("name", CURSOR).execute();
        });
        stages.forEach(Stage::discard);
        cursor = 0;
        log.atInfo().addKeyValue("target", replayTarget).log("replay started");
    }

    private List<BatchItem> parse(List<StoredEvent> page) {
        List<BatchItem> batch = new ArrayList<>(page.size());
        for (StoredEvent stored : page) {
            try {
                JsonNode event = mapper.readTree(stored.payload());
                batch.add(new BatchItem(stored.seq(), stored.sourceId(), event, time(event)));
            } catch (IOException e) {
                throw new UncheckedIOException("inbox event " + stored.seq() + " is not JSON", e);
            }
        }
        return batch;
    }

    private static long time(JsonNode event) {
        // The collector always stores a corrected timestamp; receivedAt is only a fallback.
        java.time.Instant at = EventTime.parse(event.path("timestamp").asText(""));
        return at != null ? at.toEpochMilli() : receivedAt(event);
    }

    private static long receivedAt(JsonNode event) {
        java.time.Instant at = EventTime.parse(event.path("receivedAt").asText(""));
        return at == null ? 0 : at.toEpochMilli();
    }

    private static long receivedAt(BatchItem item) {
        return receivedAt(item.event());
    }

    private long readCursor() {
        return jdbi.withHandle(h -> {
            var seq = h.createQuery("SELECT seq FROM process_cursors WHERE name = :name").bind("name", CURSOR).mapTo(Long.class).findOne();
            if (seq.isPresent()) {
                return seq.get();
            }
            h.createUpdate("INSERT INTO process_cursors (name, seq) VALUES (:name, 0)").bind("name", CURSOR).execute();
            return 0L;
        });
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
