package dev.tandem.server;

import dev.tandem.config.ConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.audience.AudienceAdminRoutes;
import dev.tandem.audience.AudienceRoutes;
import dev.tandem.audience.AudienceStage;
import dev.tandem.audience.Audiences;
import dev.tandem.audience.Background;
import dev.tandem.audience.MemberIdentifiers;
import dev.tandem.audience.Memberships;
import dev.tandem.audience.Preview;
import dev.tandem.collect.BodyReader;
import dev.tandem.collect.CollectRoutes;
import dev.tandem.collect.Collector;
import dev.tandem.collect.DiskGuard;
import dev.tandem.collect.InboxReader;
import dev.tandem.collect.InboxRoutes;
import dev.tandem.collect.InboxWriter;
import dev.tandem.collect.Limits;
import dev.tandem.connect.Source;
import dev.tandem.connect.SourceRoutes;
import dev.tandem.connect.Sources;
import dev.tandem.decide.DecideRoutes;
import dev.tandem.decide.Decider;
import dev.tandem.decide.ExperimentStage;
import dev.tandem.expr.Expressions;
import dev.tandem.govern.AccessExport;
import dev.tandem.govern.Erasure;
import dev.tandem.govern.Gate;
import dev.tandem.govern.PrivacyRequests;
import dev.tandem.govern.PrivacyRoutes;
import dev.tandem.govern.PrivacyStage;
import dev.tandem.process.Stage;
import dev.tandem.govern.GateLog;
import dev.tandem.govern.GovernedReads;
import dev.tandem.govern.PolicyRoutes;
import dev.tandem.govern.Subjects;
import dev.tandem.govern.Suppressions;
import dev.tandem.protect.Classifier;
import dev.tandem.protect.FieldCatalog;
import dev.tandem.protect.FieldRoutes;
import dev.tandem.protect.FieldScreen;
import dev.tandem.protect.KeyStore;
import dev.tandem.protect.Tokenizer;
import dev.tandem.protect.TraitSealer;
import dev.tandem.profile.ProfileStore;
import dev.tandem.protect.ReadPolicy;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.identity.Resolver;
import dev.tandem.process.ProcessRoutes;
import dev.tandem.process.Processor;
import dev.tandem.profile.ProfileReader;
import dev.tandem.profile.ProfileRoutes;
import dev.tandem.profile.ProfileUpdater;
import java.util.List;
import java.util.function.Function;
import dev.tandem.store.Database;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinBindException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tandem server. {@link #start} is the whole wiring, in data-flow order: store,
 * sources, field screen and collector, key store, policy gate, processor (resolve, profile, audience,
 * experiment, privacy), routes. {@link #close} stops taking requests,
 * commits what is queued, lets the processor finish its batch, and closes the store.
 */
public final class Tandem implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tandem.class);

    /** What tools and benchmarks reach inside a running server. */
    private record Handles(Processor processor, Sources sources, Tokenizer tokenizer) {}

    private final Javalin app;
    /** What close stops after the HTTP server, in this order: the inbox writer, the processor, the logs, the keys, the store. */
    private final List<AutoCloseable> parts;
    private final Handles handles;
    private final Database database;
    private final String newAdminToken;

    private Tandem(Javalin app, List<AutoCloseable> parts, Handles handles, String newAdminToken) {
        this.app = app;
        this.parts = parts;
        this.handles = handles;
        this.database = (Database) parts.get(parts.size() - 1);
        this.newAdminToken = newAdminToken;
    }

    public static Tandem start(ServerConfig config, Workspace workspace, Clock clock) {
        ObjectMapper mapper = Json.mapper();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Database database = config.databaseUrl() == null
                ? Database.sqlite(config.data(), config.sqliteSynchronous())
                : Database.postgres(config.databaseUrl());
        AdminToken token = AdminToken.bootstrap(database.jdbi(), config.adminToken());
        Sources sources = new Sources(database.jdbi(), clock);
        try {
            sources.declare(workspace.sources());
        } catch (RuntimeException e) {
            database.close();
            throw new ConfigException("tandem.yaml sources: " + e.getMessage());
        }

        InboxWriter writer = new InboxWriter(database, config.maxPendingEvents(), meters);
        DiskGuard disk = new DiskGuard(database.file() == null ? null : database.file().getParent(),
                config.diskReserveMb() * 1024L * 1024L);
        Guardrails guardrails = workspace.guardrails();
        Classifier classifier = new Classifier(guardrails.classification());
        FieldCatalog catalog = new FieldCatalog(database.jdbi(), classifier, clock);
        Suppressions suppressions = new Suppressions(database.jdbi(), workspace.identity());
        Collector collector = new Collector(mapper, Limits.SEGMENT, new FieldScreen(classifier, catalog, suppressions), writer, clock, meters);
        GateLog gateLog = new GateLog(database.jdbi(), clock);
        Gate gate = new Gate(guardrails.policy(), classifier, gateLog);
        ReadPolicy reads = new GovernedReads(gate);
        InboxReader inbox = new InboxReader(database.jdbi());
        Function<String, String> sourceName = id -> sources.byId(id).map(Source::name).orElse(id);
        int cachedProfiles = config.profileCacheSize();
        Expressions expressions = new Expressions();
        io.micrometer.core.instrument.FunctionCounter.builder("tandem.expression.over.budget", expressions, e -> Expressions.overBudget())
                .description("evaluations stopped at the comprehension limit (counted as not holding)").register(meters);
        Audiences audiences = new Audiences(database.jdbi(), mapper, expressions, clock);
        try {
            audiences.declare(workspace.activation().audiences());
        } catch (RuntimeException e) {
            database.close();
            throw new ConfigException("tandem.yaml audiences: " + e.getMessage());
        }
        KeyStore keys = KeyStore.open(config.keyStore());
        Tokenizer tokenizer = keys.tokenizer();
        ProfileStore profileStore = new ProfileStore(database.jdbi(), mapper, new TraitSealer(keys, classifier));
        IdentityLookup identityLookup = new IdentityLookup(database.jdbi(), workspace.identity(), tokenizer);
        try {
            KeyStoreCheck.verify(database.jdbi(), keys, identityLookup, config.keyStore());
        } catch (RuntimeException e) {
            keys.close();
            database.close();
            throw e;
        }
        ProfileReader profileReader = new ProfileReader(profileStore, workspace.profiles(), sourceName, clock);
        Resolver resolver = new Resolver(database.jdbi(), workspace.identity(), tokenizer, 3L * cachedProfiles, meters);
        ProfileUpdater profiles = new ProfileUpdater(profileStore, workspace.profiles(), sourceName, cachedProfiles, clock);
        profiles.decryptOnly(audiences::readsTrait, audiences::version);
        AudienceStage audienceStage = new AudienceStage(database.jdbi(), audiences, profiles, resolver,
                new Background(database.jdbi(), audiences, profileReader, identityLookup, clock), cachedProfiles, clock, meters);
        List<Stage> stages = List.of(resolver, profiles, audienceStage, new ExperimentStage(database.jdbi(), workspace.activation().placements()));
        PrivacyStage privacy = new PrivacyStage(database.jdbi(), new Erasure(database, stages, profiles, identityLookup, suppressions),
                identityLookup, keys, clock);
        List<Stage> withPrivacy = new java.util.ArrayList<>(stages);
        withPrivacy.add(privacy);
        Processor processor = new Processor(database, inbox, mapper, List.copyOf(withPrivacy), config.processBatchSize(), clock, meters);
        privacy.follow(() -> processor.status().cursor());
        PrivacyRequests privacyRequests = new PrivacyRequests(database.jdbi(), identityLookup, suppressions, inbox,
                new PrivacyRequests.Deadline(clock, java.time.Duration.ofDays(config.privacyDueDays())));
        privacyRequests.carriedOutBy(privacy);
        ApiTokens tokens = new ApiTokens(database.jdbi(), token, guardrails.purposes().catalog().keySet(), clock);

        HttpGuards guards = new HttpGuards();
        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.jsonMapper(new JavalinJackson(mapper, false));
            javalin.http.maxRequestSize = 2L * 1024 * 1024;
            javalin.useVirtualThreads = false;
            guards.configure(javalin);
        });
        ErrorMapper.register(app);
        app.before(guards::admit);
        app.before("/v1/admin/*", token::require);
        app.before("/v1/events", token::require);
        app.before("/v1/quarantine", token::require);
        app.before("/v1/quarantine/*", token::require);
        app.before("/opendsr/*", token::require);
        app.before("/v1/profiles/*", tokens.require("profiles:read"));
        app.before("/v1/audiences", tokens.require("audiences:read"));
        app.before("/v1/audiences/*", tokens.require("audiences:read"));
        app.before("/v1/experiments/*", tokens.require("experiments:read"));
        java.util.function.Supplier<String> publicUrl = () -> config.publicBaseUrl(app.port());
        BodyReader bodies = new BodyReader(java.time.Duration.ofSeconds(config.bodyTimeoutSeconds()));
        dev.tandem.collect.SourceOrigins origins = new dev.tandem.collect.SourceOrigins(database.jdbi());
        new CollectRoutes(sources, collector, mapper, Limits.SEGMENT, disk, bodies, publicUrl, origins).register(app);
        new dev.tandem.collect.SdkRoutes(sources, origins, mapper).register(app);
        new dev.tandem.collect.SourceOriginRoutes(sources, origins, mapper).register(app);
        new InboxRoutes(inbox, sources, collector, mapper, clock).register(app);
        new SourceRoutes(sources, mapper).register(app);
        new ProcessRoutes(processor, inbox, mapper).register(app);
        new ProfileRoutes(profileReader, identityLookup, inbox, reads, mapper).register(app);
        new FieldRoutes(catalog, guardrails.classification(), mapper).register(app);
        new PolicyRoutes(gate, new Subjects(identityLookup, profileReader), gateLog, mapper).register(app);
        new PrivacyRoutes(privacyRequests, new AccessExport(profileReader, identityLookup, new Memberships(database.jdbi(), audiences), inbox,
                mapper), mapper, publicUrl).register(app);
        AudienceRoutes audienceRoutes = new AudienceRoutes(database.jdbi(), audiences, new MemberIdentifiers(identityLookup, reads), profileReader,
                new Preview(expressions, profileReader, identityLookup, mapper, clock), mapper);
        audienceRoutes.register(app);
        new AudienceAdminRoutes(audiences, expressions, audienceRoutes, profileReader, mapper).register(app);
        Decider decider = new Decider(workspace.activation().placements(), identityLookup, profileReader,
                new Memberships(database.jdbi(), audiences), database.jdbi(), collector, mapper, clock);
        new DecideRoutes(decider, sources, database.jdbi(), mapper, tokens.require("decide:explain"), config.decideRate(), clock, bodies).register(app);
        TokenRoutes.register(app, tokens, mapper);
        OpsRoutes.register(app, database, writer, disk, meters);
        try {
            app.start(config.port());
        } catch (JavalinBindException e) {
            processor.close();
            writer.close();
            catalog.close();
            gateLog.close();
            keys.close();
            database.close();
            throw new ConfigException("Port " + config.port() + " is in use; stop what holds it, or pass --port (or TANDEM_PORT) with another.");
        }
        log.atInfo().addKeyValue("port", app.port()).addKeyValue("store", database.dialect())
                .log("tandem started");
        processor.start();
        return new Tandem(app, List.of(writer, processor, catalog, gateLog, keys, database), new Handles(processor, sources, tokenizer),
                token.shownOnce());
    }

    public int port() {
        return app.port();
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
        return database;
    }

    /** The admin token generated by this start, to be shown once; null when it was configured or existed. */
    public String newAdminToken() {
        return newAdminToken;
    }

    @Override
    public void close() {
        app.stop();
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.atError().setCause(e).addKeyValue("part", part.getClass().getSimpleName()).log("stopping a part of Tandem failed");
            }
        }
        log.info("tandem stopped");
    }
}
