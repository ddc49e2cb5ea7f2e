package dev.tandem.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.collect.EventLog;
import dev.tandem.collect.StoredEvent;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.pipeline.Stage;
import dev.tandem.store.Database;
import dev.tandem.store.StoreOutage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the pipeline to the inbox, in seq order, on one thread. Each batch commits the stages'
 * changes and the cursor in one transaction: after a crash the next start resumes at the cursor,
 * and no event is lost or applied twice. An event a stage cannot apply is set aside with its reason
 * (the processing quarantine, {@code GET /v1/admin/processor/set-aside}) and the pipeline goes on;
 * only a failure of the store itself stops it, and then the batch is retried with a growing pause.
 */
public final class Processor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Processor.class);
    private static final String CURSOR = "main";
    private static final long IDLE_PAUSE_NANOS = 20_000_000L;
    /** Batches between WAL checkpoints, and one when the inbox is drained: see Database.checkpoint. */
    private static final int CHECKPOINT_EVERY = 25;

    private final Database database;
    private final Jdbi jdbi;
    private final EventLog inbox;
    private final ObjectMapper mapper;
    private final Pipeline pipeline;
    private List<Stage> stages = List.of();
    private final BetweenBatches between;
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
    private volatile boolean replaysAsked = true;
    private volatile String backgroundError;
    private long backgroundResumeAt;
    private long backgroundPause = 1_000;
    private long retryAt;
    private final SetAside setAside;
    private final Counter setAsideCount;
    private int batchesSinceCheckpoint;
    private final BatchCpu cpu;
    private final ReadAhead ahead;
    private IngestFirst yielding = IngestFirst.NEVER;
    private final BackgroundShare share = new BackgroundShare(BackgroundShare.DEFAULT);
    private boolean pageWasFull;

    /**
     * Work the processor runs between batches on its own thread, so that it never races a batch:
     * the scheduler's pipeline lane. True when there was work.
     */
    public interface BetweenBatches {
        BetweenBatches NONE = () -> false;

        boolean run();
    }

    public Processor(
            Database database,
            EventLog inbox,
            ObjectMapper mapper,
            Pipeline pipeline,
            BetweenBatches between,
            int batchSize,
            Clock clock,
            MeterRegistry meters) {
        this.database = database;
        this.jdbi = database.jdbi();
        this.inbox = inbox;
        this.mapper = mapper;
        this.pipeline = pipeline;
        this.between = between;
        this.batchSize = batchSize;
        this.clock = clock;
        this.processed = Counter.builder("tandem.process.events")
                .description("Events applied by the pipeline")
                .register(meters);
        this.setAsideCount = Counter.builder("tandem.process.set.aside")
                .description("Events the pipeline could not apply, set aside with their reason")
                .register(meters);
        this.setAside = new SetAside(database.jdbi());
        this.cpu = new BatchCpu(meters);
        this.ahead = new ReadAhead(inbox, mapper, pipeline, batchSize, meters);
        meters.gauge("tandem.process.lag.events", lagEvents);
        meters.gauge("tandem.process.lag.seconds", lagMillis, v -> v.get() / 1000.0);
        this.cursor = readCursor();
        pipeline.movedTo(cursor);
        this.thread = Thread.ofPlatform().name("processor").daemon(true).unstarted(this::run);
    }

    /** Gives way to acknowledgements when tracking calls queue on a saturated CPU; set before {@link #start}. */
    public void yieldTo(IngestFirst policy) {
        this.yielding = policy;
    }

    public Processor start() {
        sealed();
        thread.start();
        return this;
    }

    /** The status with the newest inbox seq read now, so that {@code lagEvents() == 0} means all stored events are applied. */
    public ProcessorStatus statusNow() {
        latest = Math.max(latest, inbox.latestSeq());
        return status(setAside.open());
    }

    /** The status without reading the store; {@code setAside} is then -1 (not counted). */
    public ProcessorStatus status() {
        return status(-1);
    }

    private ProcessorStatus status(long setAsideEvents) {
        ProcessorStatus.State state = !running
                ? ProcessorStatus.State.STOPPED
                : lastError != null
                        ? ProcessorStatus.State.FAILING
                        : replayTarget >= 0 ? ProcessorStatus.State.REPLAYING : ProcessorStatus.State.RUNNING;
        return new ProcessorStatus(cursor, latest, state, lastError, replayTarget, setAsideEvents, backgroundError);
    }

    /**
     * Asks for a replay: at the next batch boundary every stage deletes what it derived, the cursor
     * goes back to 0 and the whole inbox is applied again under the current rules.
     */
    public void replay() {
        // requested before the target is set: a batch ending between the two must not call the replay done
        replayRequested = true;
        replayStartedAt = clock.millis();
        replayTarget = Math.max(latest, inbox.latestSeq());
        LockSupport.unpark(thread);
    }

    /** Applies one batch on the calling thread; false when the inbox had nothing new. For tests and benchmarks of a stopped processor. */
    public boolean step() {
        sealed();
        if (replaysAsked) {
            replaySetAside();
        }
        long began = cpu.now();
        InboxEvents.Page prepared = ahead.take(cursor);
        List<StoredEvent> page = prepared != null ? prepared.events() : inbox.after(cursor, batchSize);
        cpu.lap("read", began);
        latest = Math.max(
                latest,
                page.isEmpty() ? inbox.latestSeq() : page.get(page.size() - 1).seq());
        pageWasFull = page.size() >= batchSize;
        if (page.isEmpty()) {
            checkpointIfDue(true);
            lagEvents.set(Math.max(0, latest - cursor));
            lagMillis.set(0);
            return false;
        }
        if (pageWasFull && yielding.coreToSpare()) {
            // a backlog: the next page is read and prepared on the second core while this one is applied (not
            // while tracking calls are coming in: that core is theirs)
            ahead.start(page.get(page.size() - 1).seq());
        }
        try {
            apply(page, prepared);
        } finally {
            ahead.settle();
        }
        processed.increment(page.size());
        checkpointIfDue(false);
        lagEvents.set(Math.max(0, latest - cursor));
        // not while a replay asked for is still to begin: a batch applied meanwhile must not call it done
        if (replayTarget >= 0 && !replayRequested && cursor >= replayTarget) {
            log.atInfo()
                    .addKeyValue("events", replayTarget)
                    .addKeyValue("ms", clock.millis() - replayStartedAt)
                    .log("replay done");
            replayTarget = -1;
        }
        return true;
    }

    /**
     * Applies these events in order and moves the cursor past them. When a stage fails on the data
     * (not the store), the events are applied again in halves, down to the one at fault, which is
     * set aside with its reason; everything before and after it is applied. Why halves: the event
     * at fault is found in about log2(n) failed attempts while the rest still commit in large
     * transactions. A failure of the store itself is thrown, and the batch is retried as a whole.
     */
    private void apply(List<StoredEvent> events, InboxEvents.Page prepared) {
        try {
            commit(
                    events,
                    prepared,
                    h -> moveCursor(h, events.get(events.size() - 1).seq()));
            moved(events.get(events.size() - 1).seq());
        } catch (StageFailure e) {
            if (StoreOutage.causes(e)) {
                throw e;
            }
            if (events.size() > 1) {
                int half = events.size() / 2;
                // parsed again: the stages changed the items of the attempt that failed
                apply(events.subList(0, half), null);
                apply(events.subList(half, events.size()), null);
                return;
            }
            StoredEvent event = events.get(0);
            database.inDerivedTransaction(h -> {
                SetAside.record(h, event.seq(), event.sourceId(), e.stage(), StageFailure.describe(e), clock.millis());
                moveCursor(h, event.seq());
            });
            moved(event.seq());
            setAsideCount.increment();
            log.atWarn()
                    .setCause(e.getCause())
                    .addKeyValue("seq", event.seq())
                    .addKeyValue("stage", e.stage())
                    .log("an event could not be applied; it is set aside and the pipeline goes on");
        }
    }

    /**
     * Runs the stages over these events and commits what they derived together with {@code bookkeeping}
     * (the cursor, or a replay's mark) in one transaction. An event that cannot even be read is set
     * aside in the same transaction. On any failure every stage forgets what it did not commit.
     */
    private void commit(
            List<StoredEvent> events,
            InboxEvents.Page prepared,
            java.util.function.Consumer<org.jdbi.v3.core.Handle> bookkeeping) {
        long[] lap = {cpu.now()};
        InboxEvents.Page page = prepared != null ? prepared : InboxEvents.parse(mapper, inbox, 0, events);
        List<BatchItem> items = page.items();
        Map<StoredEvent, StageFailure> unreadable = page.unreadable();
        if (!items.isEmpty()) {
            lagMillis.set(Math.max(
                    0, clock.millis() - InboxEvents.receivedAt(items.get(0).event())));
        }
        Batch batch = pipeline.batch(items);
        lap[0] = cpu.lap("parse", lap[0]);
        String[] at = {"read"};
        try {
            for (Stage stage : stages) {
                at[0] = stage.name();
                if (!batch.isEmpty()) {
                    stage.process(batch);
                }
                lap[0] = cpu.lap(stage.name() + ".process", lap[0]);
            }
            database.inDerivedTransaction(h -> {
                for (Stage stage : stages) {
                    at[0] = stage.name();
                    stage.write(h);
                    lap[0] = cpu.lap(stage.name() + ".write", lap[0]);
                }
                at[0] = "commit";
                unreadable.forEach((u, why) ->
                        SetAside.record(h, u.seq(), u.sourceId(), "read", StageFailure.describe(why), clock.millis()));
                bookkeeping.accept(h);
            });
            // the commit itself, and the cursor's update before it
            lap[0] = cpu.lap("commit", lap[0]);
        } catch (RuntimeException e) {
            pipeline.discard();
            throw new StageFailure(at[0], e);
        }
        setAsideCount.increment(unreadable.size());
        try {
            stages.forEach(Stage::committed);
            cpu.lap("committed", lap[0]);
        } catch (RuntimeException e) {
            // Committed already: applying these events again would apply them twice. Caches are
            // dropped instead, and the stages read what they need from the store next time.
            log.atError().setCause(e).log("a stage failed after its batch committed; its caches are dropped");
            pipeline.discard();
        }
    }

    /** Asks for set-aside events to be applied again at the next batch boundary (all of them when {@code seqs} is empty). */
    public int replaySetAside(List<Long> seqs) {
        int asked = setAside.requestReplay(seqs, clock.millis());
        replaysAsked = true;
        LockSupport.unpark(thread);
        return asked;
    }

    /** The events set aside and not replayed, oldest first. */
    public List<SetAsideEvent> setAside(long afterSeq, int limit, boolean includeReplayed) {
        return setAside.list(afterSeq, limit, includeReplayed).stream()
                .map(e -> new SetAsideEvent(
                        e.seq(),
                        e.sourceId(),
                        e.stage(),
                        e.reason(),
                        e.setAsideAt(),
                        e.attempts(),
                        e.replayRequested() != null,
                        e.replayedAt()))
                .toList();
    }

    /** Applies the events a steward asked to replay, one at a time, outside the cursor's order. */
    private void replaySetAside() {
        List<Long> seqs = setAside.requested(batchSize);
        if (seqs.isEmpty()) {
            replaysAsked = false;
            return;
        }
        List<StoredEvent> events = inbox.at(seqs);
        List<Long> missing = new ArrayList<>(seqs);
        events.forEach(e -> missing.remove(e.seq()));
        jdbi.useHandle(h -> SetAside.forgetMissing(h, missing));
        for (StoredEvent event : events) {
            try {
                try {
                    InboxEvents.parse(mapper, event);
                } catch (RuntimeException unreadable) {
                    throw new StageFailure("read", unreadable);
                }
                commit(List.of(event), null, h -> SetAside.replayed(h, event.seq(), clock.millis()));
            } catch (StageFailure e) {
                if (StoreOutage.causes(e)) {
                    throw e;
                }
                jdbi.useHandle(h -> SetAside.record(
                        h, event.seq(), event.sourceId(), e.stage(), StageFailure.describe(e), clock.millis()));
            }
        }
    }

    /** Runs the work due between batches on the calling thread; true when there was any. For tests and benchmarks of a stopped processor. */
    public boolean background() {
        boolean worked = true;
        try {
            worked = between.run();
            return worked;
        } finally {
            if (worked) {
                // an erasure or a slice of any job may have changed what a page read ahead holds
                ahead.drop();
            }
        }
    }

    /** Checkpoints every CHECKPOINT_EVERY batches, and once the inbox is drained after any batch. */
    private void checkpointIfDue(boolean idle) {
        if (idle ? batchesSinceCheckpoint > 0 : ++batchesSinceCheckpoint >= CHECKPOINT_EVERY) {
            long began = cpu.now();
            database.checkpoint();
            cpu.lap("checkpoint", began);
            batchesSinceCheckpoint = 0;
        }
    }

    private void run() {
        long pause = 100;
        while (running) {
            if (clock.millis() < retryAt) {
                // the pause after a store failure is timed by the injected clock, so a test advances it instead of
                // sleeping
                LockSupport.parkNanos(IDLE_PAUSE_NANOS);
                continue;
            }
            boolean worked;
            try {
                if (replayRequested) {
                    resetForReplay();
                }
                long began = System.nanoTime();
                worked = step();
                if (worked) {
                    long took = System.nanoTime() - began;
                    share.applied(took, pageWasFull || lagEvents.get() > 0);
                    long paused = cpu.now();
                    yielding.after(took);
                    cpu.lap("ingest-first-pause", paused);
                } else {
                    share.drained();
                }
                lastError = null;
                pause = 100;
            } catch (RuntimeException e) {
                // Only the store failing gets here (an event at fault is set aside): wait it out.
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                log.atWarn()
                        .setCause(e)
                        .addKeyValue("cursor", cursor)
                        .addKeyValue("retryInMs", pause)
                        .log("processing failed; the batch will be retried");
                retryAt = clock.millis() + pause;
                pause = Math.min(pause * 2, 10_000);
                continue;
            }
            if (share.mayRun()) {
                long began = System.nanoTime();
                long lane = cpu.now();
                worked |= backgroundGuarded();
                cpu.lap("between-batches", lane);
                share.spent(System.nanoTime() - began);
            }
            if (!worked) {
                LockSupport.parkNanos(IDLE_PAUSE_NANOS);
            }
        }
    }

    /**
     * Background work, kept from holding up the batches when it fails: a failing slice is logged,
     * shown in the status, and tried again after a pause that grows to a minute.
     */
    private boolean backgroundGuarded() {
        long now = clock.millis();
        if (now < backgroundResumeAt) {
            return false;
        }
        try {
            boolean worked = background();
            backgroundError = null;
            backgroundPause = 1_000;
            return worked;
        } catch (RuntimeException e) {
            backgroundError = StageFailure.describe(e);
            backgroundResumeAt = now + backgroundPause;
            log.atWarn()
                    .setCause(e)
                    .addKeyValue("retryInMs", backgroundPause)
                    .log("background work failed; it will be retried");
            backgroundPause = Math.min(backgroundPause * 2, 60_000);
            return false;
        }
    }

    private void resetForReplay() {
        jdbi.useTransaction(h -> {
            pipeline.reset(h);
            moveCursor(h, 0);
            SetAside.clear(h);
        });
        // only once the reset committed: a reset the store failed is tried again, not taken as done
        replayRequested = false;
        pipeline.discard();
        moved(0);
        log.atInfo().addKeyValue("target", replayTarget).log("replay started");
    }

    /** The stages are fixed when processing starts: every module has added its own by then. */
    private void sealed() {
        if (stages.isEmpty()) {
            stages = List.copyOf(pipeline.seal().stages());
        }
    }

    private void moved(long seq) {
        cursor = seq;
        pipeline.movedTo(seq);
    }

    private static void moveCursor(org.jdbi.v3.core.Handle h, long seq) {
        h.createUpdate("UPDATE process_cursors SET seq = :seq WHERE name = :name")
                .bind("seq", seq)
                .bind("name", CURSOR)
                .execute();
    }

    private long readCursor() {
        return jdbi.withHandle(h -> {
            var seq = h.createQuery("SELECT seq FROM process_cursors WHERE name = :name")
                    .bind("name", CURSOR)
                    .mapTo(Long.class)
                    .findOne();
            if (seq.isPresent()) {
                return seq.get();
            }
            h.createUpdate("INSERT INTO process_cursors (name, seq) VALUES (:name, 0)")
                    .bind("name", CURSOR)
                    .execute();
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
        ahead.close();
    }
}
