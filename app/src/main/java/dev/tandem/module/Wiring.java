package dev.tandem.module;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.pipeline.Stage;
import dev.tandem.schedule.Job;
import dev.tandem.schedule.Scheduler;
import dev.tandem.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server offers a {@link Module} (the store, the clock, metrics, the JSON mapper, the
 * scheduler) and takes from it (stages, jobs, routes, parts to start and to close). One close
 * list for the whole server: {@link #close} closes every part in the reverse order it was
 * registered, so a start-up that fails half-way closes exactly what was started.
 */
public final class Wiring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Wiring.class);

    private final Core core;
    private final Pipeline pipeline;
    private final Scheduler scheduler;
    private final Routes routes;
    private final List<Runnable> starts = new ArrayList<>();
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final List<Changeable> changeables = new ArrayList<>();
    private volatile Changes changes = Changes.IMMEDIATE;

    /**
     * What every module shares: the store, the clock, metrics, the one JSON mapper, and how many
     * profiles the stages keep cached (identity, profile and audience size their caches from it).
     */
    public record Core(Database database, Clock clock, MeterRegistry meters, ObjectMapper mapper, int cachedProfiles) {}

    public Wiring(Core core, Pipeline pipeline, Scheduler scheduler, Routes routes) {
        this.core = core;
        this.pipeline = pipeline;
        this.scheduler = scheduler;
        this.routes = routes;
    }

    /** Wires {@code module} now; when it throws, the log names the module and the error goes on to the caller. */
    public <M extends Module> M add(M module) {
        try {
            module.wire(this);
        } catch (RuntimeException e) {
            log.atError()
                    .addKeyValue("module", module.name())
                    .log("a module failed to start; what was started is closed");
            throw e;
        }
        return module;
    }

    public Database database() {
        return core.database();
    }

    public Jdbi jdbi() {
        return core.database().jdbi();
    }

    public Clock clock() {
        return core.clock();
    }

    public MeterRegistry meters() {
        return core.meters();
    }

    public ObjectMapper mapper() {
        return core.mapper();
    }

    public int cachedProfiles() {
        return core.cachedProfiles();
    }

    public Routes routes() {
        return routes;
    }

    /** The pipeline, for a module that reaches every stage (erasure) or reads where the processor stands. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** Adds a stage at the end of the pipeline: modules are composed in data-flow order. */
    public void stage(Stage stage) {
        pipeline.add(stage);
    }

    /**
     * Registers a kind of work due at a time. A job in the {@code PIPELINE} lane runs between the
     * processor's batches, on its thread, so it never races one; others on the scheduler's thread.
     */
    public void job(Job job) {
        scheduler.register(job);
    }

    /** Where jobs are scheduled, by (kind, key), durably. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Declares a kind of workspace object whose changes go through {@link #changes()}. */
    public void changeable(Changeable kind) {
        changeables.add(kind);
    }

    /** The kinds declared so far, in order. */
    public List<Changeable> changeables() {
        return List.copyOf(changeables);
    }

    /**
     * Where routes submit changes of workspace objects; applied at once until a change module
     * {@linkplain #changes(Changes) takes them}. Read at every request, so it may be set after the routes.
     */
    public Changes changes() {
        return (target, key, declaration, ctx) -> changes.submit(target, key, declaration, ctx);
    }

    /** The change module takes every change submitted from now on. */
    public void changes(Changes taker) {
        this.changes = taker;
    }

    /** Runs once every module is wired and the server takes requests (the processor's thread, say). */
    public void onStart(Runnable start) {
        starts.add(start);
    }

    /** Registers a part to close when the server stops, or when start-up fails after this point. */
    public <T extends AutoCloseable> T closeable(T part) {
        parts.add(part);
        return part;
    }

    /** Runs the start actions in the order they were registered. */
    public void start() {
        starts.forEach(Runnable::run);
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            AutoCloseable part = parts.get(i);
            try {
                part.close();
            } catch (Exception e) {
                log.atError()
                        .setCause(e)
                        .addKeyValue("part", part.getClass().getSimpleName())
                        .log("stopping a part of Tandem failed");
            }
        }
        parts.clear();
    }
}
