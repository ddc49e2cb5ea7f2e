package dev.tandem.server;

import dev.tandem.audience.AudienceModule;
import dev.tandem.audit.AuditKind;
import dev.tandem.audit.AuditModule;
import dev.tandem.change.ChangeModule;
import dev.tandem.collect.CollectModule;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.Sources;
import dev.tandem.config.ConfigException;
import dev.tandem.config.Json;
import dev.tandem.connect.ConnectModule;
import dev.tandem.connect.Connectors;
import dev.tandem.connect.DestinationConfigs;
import dev.tandem.console.ConsoleModule;
import dev.tandem.decide.DecideModule;
import dev.tandem.expr.Expressions;
import dev.tandem.feed.FeedModule;
import dev.tandem.govern.GovernModule;
import dev.tandem.govern.GuardrailsModule;
import dev.tandem.identity.IdentityModule;
import dev.tandem.journey.JourneyModule;
import dev.tandem.kpi.KpiModule;
import dev.tandem.module.Access;
import dev.tandem.module.Module;
import dev.tandem.module.Routes;
import dev.tandem.module.Wiring;
import dev.tandem.people.PeopleModule;
import dev.tandem.pipeline.Pipeline;
import dev.tandem.plan.PlanModule;
import dev.tandem.process.IngestFirst;
import dev.tandem.process.ProcessModule;
import dev.tandem.process.Processor;
import dev.tandem.profile.ProfileModule;
import dev.tandem.protect.ProtectModule;
import dev.tandem.protect.Tokenizer;
import dev.tandem.retain.RetainModule;
import dev.tandem.schedule.ScheduleRoutes;
import dev.tandem.schedule.ScheduleSettings;
import dev.tandem.schedule.Scheduler;
import dev.tandem.store.Database;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tandem server. {@link #start} is the whole composition, in data-flow order: the
 * guardrails everything consults (protection, the policy gate), collection, the processor, the
 * stages' modules (identity, profile, audience, decide), destinations (connect), journeys (which send through them), governance at the end, then any extra
 * modules, the server's own routes, and the HTTP port; the scheduler's jobs come with the modules. Every part a module starts goes on one close
 * list; a failure anywhere closes exactly what was started, in reverse order, and so does
 * {@link #close}.
 */
public final class Tandem implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tandem.class);

    /** What tools and benchmarks reach inside a running server. */
    private record Handles(
            Database database,
            Processor processor,
            Scheduler scheduler,
            Sources sources,
            Tokenizer tokenizer,
            InboxReader inbox) {}

    private final Javalin app;
    private final Wiring wiring;
    private final Handles handles;
    private final String newAdminToken;

    private Tandem(Javalin app, Wiring wiring, Handles handles, String newAdminToken) {
        this.app = app;
        this.wiring = wiring;
        this.handles = handles;
        this.newAdminToken = newAdminToken;
    }

    public static Tandem start(ServerConfig config, Workspace workspace, Clock clock) {
        return start(config, workspace, clock, List.of());
    }

    /** Starts with {@code extra} modules composed after the built-in ones (their stages run last). */
    public static Tandem start(ServerConfig config, Workspace workspace, Clock clock, List<Module> extra) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Database database = config.databaseUrl() == null
                ? Database.sqlite(config.data(), config.sqliteSynchronous())
                : Database.postgres(config.databaseUrl());
        AdminToken token;
        ApiTokens tokens;
        // people are wired with the modules below; the checks that need them run only once requests arrive
        AtomicReference<PeopleModule> people = new AtomicReference<>();
        Set<String> purposes = workspace.guardrails().purposes().catalog().keySet();
        try {
            token = AdminToken.bootstrap(database.jdbi(), config.adminToken());
            tokens = new ApiTokens(
                    database.jdbi(), token, purposes, () -> people.get().people(), clock);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        AtomicInteger boundPort = new AtomicInteger();
        Supplier<String> publicUrl = () -> config.publicBaseUrl(boundPort.get());
        Routes routes = new Routes(new Gates(token, tokens, () -> people.get().sessions(), purposes));
        Scheduler scheduler = new Scheduler(database, clock, meters, ScheduleSettings.DEFAULTS);
        Wiring wiring = new Wiring(
                new Wiring.Core(database, clock, meters, Json.mapper(), config.profileCacheSize()),
                new Pipeline(),
                scheduler,
                routes);
        wiring.closeable(database);
        wiring.closeable(scheduler);
        wiring.onStart(scheduler::start);
        try {
            AuditModule audit = wiring.add(new AuditModule(config.data()));
            people.set(wiring.add(new PeopleModule(audit.log(), publicUrl, config.teams())));
            ChangeModule changes = wiring.add(new ChangeModule(
                    workspace.changeRules(),
                    people.get().people(),
                    audit.log(),
                    new ChangeModule.Settings(
                            config.approvals().adminTokenApplies(),
                            Duration.ofDays(config.approvals().proposalDays())),
                    people.get().people()::sideOf,
                    Map.of("destination", ConnectModule::facts)));
            // what tandem.yaml changes since it was last applied is a change like any other: pending ones stay out
            workspace = workspace.reconciled(changes::reconcile);
            Guardrails guardrails = workspace.guardrails();
            ProtectModule protect = wiring.add(
                    new ProtectModule(guardrails.classification(), config.keyStore(), config.sealRawEvents()));
            GuardrailsModule gate =
                    wiring.add(new GuardrailsModule(guardrails.policy(), protect.classifier(), workspace.identity()));
            CollectModule collect = wiring.add(new CollectModule(
                    workspace.sources(),
                    new CollectModule.Settings(
                            config.maxPendingEvents(),
                            config.diskReserveMb() * 1024L * 1024L,
                            Duration.ofSeconds(config.bodyTimeoutSeconds()),
                            publicUrl,
                            config.data().resolve("archive")),
                    protect.screen(gate.suppressions()),
                    protect.eventSealer()));
            wiring.add(new PlanModule(workspace.trackingPlans(), collect, protect.catalog()));
            ProcessModule process = wiring.add(new ProcessModule(
                    collect.inbox(),
                    collect.history(),
                    config.processBatchSize(),
                    new IngestFirst(
                            collect.writer()::queueing,
                            collect.writer()::active,
                            config.processorShareUnderLoad() / 100.0)));
            IdentityModule identity = wiring.add(new IdentityModule(workspace.identity(), protect.tokenizer()));
            KeyStoreCheck.verify(database.jdbi(), protect.keys(), identity.lookup(), config.keyStore());
            ProfileModule profile = wiring.add(new ProfileModule(
                    workspace.profiles(), protect.sealer(), collect, identity.lookup(), gate.reads()));
            Expressions expressions = new Expressions();
            FunctionCounter.builder("tandem.expression.over.budget", expressions, e -> Expressions.overBudget())
                    .description("evaluations stopped at the comprehension limit (counted as not holding)")
                    .register(meters);
            AudienceModule audience = wiring.add(new AudienceModule(
                    workspace.activation().audiences(),
                    expressions,
                    identity.lookup(),
                    profile.reader(),
                    gate.reads()));
            wiring.add(new DecideModule(
                    workspace.activation().placements(),
                    config.decideRate(),
                    collect,
                    new DecideModule.ProfileReads(identity.lookup(), profile.reader(), audience.memberships())));
            RetainModule retain = wiring.add(new RetainModule(collect, profile.reader(), process.processor()));
            ConnectModule connect = wiring.add(new ConnectModule(
                    workspace.activation().destinations(),
                    new DestinationConfigs.Rules(
                            expressions,
                            Connectors.builtIn(),
                            workspace.guardrails().purposes().catalog().keySet(),
                            System::getenv),
                    new ConnectModule.Reads(
                            collect.inbox(), profile.reader(), identity.lookup(), audience.memberships()),
                    new ConnectModule.Guards(gate.gate(), audit.log()),
                    config.data()));
            wiring.add(new KpiModule(
                    workspace.kpis(),
                    expressions,
                    new KpiModule.Uses(
                            audience.memberships(), people.get().people(), audit.log(), protect.classifier())));
            wiring.add(new JourneyModule(
                    workspace.activation().journeys(),
                    new JourneyModule.Reads(profile.reader(), identity.lookup(), audience.memberships(), collect),
                    gate.gate(),
                    connect::outbox,
                    expressions));
            wiring.add(new GovernModule(
                    gate,
                    protect.keys(),
                    new GovernModule.Reads(
                            identity.lookup(),
                            profile.reader(),
                            audience.memberships(),
                            collect.inbox(),
                            retain.archives()),
                    new GovernModule.Settings(Duration.ofDays(config.privacyDueDays()), publicUrl),
                    new GovernModule.Notified(connect.recipients(), audit.log())));
            wiring.add(new FeedModule(
                    audit.log(),
                    publicUrl,
                    new FeedModule.Settings(config.subscriptionsAllowPrivate(), config.audienceMovePercent()),
                    audience.memberships()::sizes));
            // last in data-flow order: the console reads every capability through the API, nothing reads it
            wiring.add(new ConsoleModule(people.get().sessions(), boundPort::get));
            extra.forEach(wiring::add);
            TokenRoutes.register(routes, tokens, people.get().sessions(), audit.log(), wiring.mapper());
            routes.get("/v1/admin/jobs", Access.ADMIN, new ScheduleRoutes(scheduler)::jobs);
            OpsRoutes.register(routes, database, collect.writer(), collect.disk(), meters);
            Javalin app = wiring.closeable(new Listening(Http.create(new HttpGuards(), routes)))
                    .listen(config.port());
            boundPort.set(app.port());
            log.atInfo()
                    .addKeyValue("port", app.port())
                    .addKeyValue("store", database.dialect())
                    .log("tandem started");
            wiring.start();
            audit.log()
                    .append(
                            "system",
                            AuditKind.STARTED,
                            "tandem",
                            Map.of("store", database.dialect().toString(), "port", app.port()));
            Handles handles = new Handles(
                    database, process.processor(), scheduler, collect.sources(), protect.tokenizer(), collect.inbox());
            return new Tandem(app, wiring, handles, token.shownOnce());
        } catch (RuntimeException e) {
            wiring.close();
            throw e;
        }
    }

    /** The HTTP server as a part on the close list: registered last, so it stops taking requests first. */
    private record Listening(Javalin app) implements AutoCloseable {
        Javalin listen(int port) {
            try {
                return app.start(port);
            } catch (JavalinBindException e) {
                throw new ConfigException("Port " + port
                        + " is in use; stop what holds it, or pass --port (or TANDEM_PORT) with another.");
            }
        }

        @Override
        public void close() {
            app.stop();
        }
    }

    public int port() {
        return app.port();
    }

    /** The scheduler, for a test clock to wake when it moves. */
    public Scheduler scheduler() {
        return handles.scheduler();
    }

    /** The inbox as this server reads it (sealed values opened), for tools and benchmarks. */
    public InboxReader inbox() {
        return handles.inbox();
    }

    public Sources sources() {
        return handles.sources();
    }

    public Processor processor() {
        return handles.processor();
    }

    /** How this server stores identifiers, for tools that read the identity tables directly. */
    public Tokenizer tokenizer() {
        return handles.tokenizer();
    }

    public Database database() {
        return handles.database();
    }

    /** The admin token generated by this start, to be shown once; null when it was configured or existed. */
    public String newAdminToken() {
        return newAdminToken;
    }

    /** Stops taking requests, then closes every part in reverse start order: the processor finishes its batch, the inbox commits what is queued, the store closes last. */
    @Override
    public void close() {
        wiring.close();
        log.info("tandem stopped");
    }
}
