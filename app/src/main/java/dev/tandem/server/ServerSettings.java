package dev.tandem.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Every server setting Tandem reads, in one place. */
public final class ServerSettings {
    private ServerSettings() {}

    public static final Setting<Integer> PORT = new Setting<>(
            "port",
            "TANDEM_PORT",
            8080,
            text -> intIn(text, 0, 65_535, "a TCP port from 0 (any free port) to 65535"),
            "HTTP port to listen on");
    public static final Setting<Path> DATA = new Setting<>(
            "data", "TANDEM_DATA", Path.of("tandem-data"), Path::of, "directory of the embedded SQLite store");
    public static final Setting<String> DATABASE_URL = new Setting<>(
            "databaseUrl",
            "TANDEM_DATABASE_URL",
            null,
            ServerSettings::jdbcPostgres,
            "PostgreSQL JDBC URL; when unset the embedded SQLite store is used");
    public static final Setting<String> ADMIN_TOKEN = new Setting<>(
            "adminToken",
            "TANDEM_ADMIN_TOKEN",
            null,
            ServerSettings::token,
            "admin API token; when unset the first start generates one and prints it once");
    public static final Setting<String> SQLITE_SYNCHRONOUS = new Setting<>(
            "sqliteSynchronous",
            "TANDEM_SQLITE_SYNCHRONOUS",
            "FULL",
            ServerSettings::synchronous,
            "SQLite fsync policy: FULL survives power loss, NORMAL only process crashes");
    public static final Setting<Boolean> SEAL_RAW_EVENTS = new Setting<>(
            "sealRawEvents",
            "TANDEM_SEAL_RAW_EVENTS",
            true,
            ServerSettings::bool,
            "encrypt personal values of stored events with a key of their subject, destroyed at erasure (false keeps them in clear in inbox.db and its backups)");
    public static final Setting<Integer> MAX_PENDING_EVENTS = new Setting<>(
            "maxPendingEvents",
            "TANDEM_MAX_PENDING_EVENTS",
            200_000,
            text -> intIn(text, 1_000, 10_000_000, "a number of events from 1000 to 10000000"),
            "events waiting for a commit before new calls get 429");
    public static final Setting<Integer> DISK_RESERVE_MB = new Setting<>(
            "diskReserveMb",
            "TANDEM_DISK_RESERVE_MB",
            256,
            text -> intIn(text, 0, 1_000_000, "megabytes from 0 to 1000000"),
            "free disk below which events get 503");

    public static final Setting<Integer> PROCESS_BATCH_SIZE = new Setting<>(
            "processBatchSize",
            "TANDEM_PROCESS_BATCH_SIZE",
            2_000,
            text -> intIn(text, 1, 50_000, "a number of events from 1 to 50000"),
            "events the processor applies per transaction");
    public static final Setting<Integer> PROCESSOR_SHARE_UNDER_LOAD = new Setting<>(
            "processorShareUnderLoad",
            "TANDEM_PROCESSOR_SHARE_UNDER_LOAD",
            25,
            text -> intIn(text, 1, 100, "a percentage from 1 to 100"),
            "percent of its time the processor keeps while tracking calls queue and the CPU is saturated (acks first; 100: never yield)");
    public static final Setting<Integer> PROFILE_CACHE_SIZE = new Setting<>(
            "profileCacheSize",
            "TANDEM_PROFILE_CACHE_SIZE",
            500_000,
            text -> intIn(text, 1_000, 50_000_000, "a number of profiles from 1000 to 50000000"),
            "profiles the processor keeps in memory (and three times as many identifiers)");

    public static final Setting<Path> KEY_STORE = new Setting<>(
            "keyStore",
            "TANDEM_KEY_STORE",
            null,
            Path::of,
            "directory of the key store (master key and per-profile keys); keep it apart from the data and its backups; "
                    + "default: the data directory's name with -keys, beside it");
    public static final Setting<Integer> PRIVACY_DUE_DAYS = new Setting<>(
            "privacyDueDays",
            "TANDEM_PRIVACY_DUE_DAYS",
            30,
            text -> intIn(text, 1, 90, "a number of days from 1 to 90"),
            "days within which a privacy request is due");

    public static final Setting<String> PUBLIC_URL = new Setting<>(
            "publicUrl",
            "TANDEM_PUBLIC_URL",
            null,
            ServerSettings::publicUrl,
            "the URL clients reach Tandem at, such as https://cdp.example.com; used in links and analytics.js settings "
                    + "(never the request's Host header); default: http://localhost:<port>");
    public static final Setting<Integer> BODY_TIMEOUT_SECONDS = new Setting<>(
            "bodyTimeoutSeconds",
            "TANDEM_BODY_TIMEOUT_SECONDS",
            10,
            text -> intIn(text, 1, 300, "a number of seconds from 1 to 300"),
            "seconds a client has to send a tracking request's whole body before it gets 408");

    public static final Setting<Integer> DECIDE_RATE = new Setting<>(
            "decideRatePerSecond",
            "TANDEM_DECIDE_RATE_PER_SECOND",
            50,
            text -> intIn(text, 1, 1_000_000, "a number of decisions from 1 to 1000000"),
            "decisions a second per write key on /v1/decide, on average");
    public static final Setting<Integer> DECIDE_BURST = new Setting<>(
            "decideBurst",
            "TANDEM_DECIDE_BURST",
            100,
            text -> intIn(text, 1, 1_000_000, "a number of decisions from 1 to 1000000"),
            "decisions per write key at once before 429");

    public static final Setting<Boolean> ADMIN_TOKEN_APPLIES = new Setting<>(
            "adminTokenApplies",
            "TANDEM_ADMIN_TOKEN_APPLIES",
            true,
            ServerSettings::bool,
            "whether changes made with the admin token apply at once, whatever their tier (each is still a change record, "
                    + "audited and in the feed); false: they wait for approvals like anyone's");
    public static final Setting<Integer> PROPOSAL_DAYS = new Setting<>(
            "proposalDays",
            "TANDEM_PROPOSAL_DAYS",
            14,
            text -> intIn(text, 1, 365, "a number of days from 1 to 365"),
            "days a change may wait for approvals before it expires");
    public static final Setting<java.util.Map<String, String>> TEAMS = new Setting<>(
            "teams",
            "TANDEM_TEAMS",
            Teams.BUILT_IN,
            Teams::parse,
            "teams beyond the built-in marketing and it, each with the side it belongs to, such as "
                    + "'growth:marketing, platform:it'");
    public static final Setting<Boolean> SUBSCRIPTIONS_ALLOW_PRIVATE = new Setting<>(
            "subscriptionsAllowPrivate",
            "TANDEM_SUBSCRIPTIONS_ALLOW_PRIVATE",
            false,
            ServerSettings::bool,
            "let feed subscriptions post to loopback, private, link-local and other internal addresses "
                    + "(false refuses them, at subscription and at every delivery)");
    public static final Setting<Integer> AUDIENCE_MOVE_PERCENT = new Setting<>(
            "audienceMovePercent",
            "TANDEM_AUDIENCE_MOVE_PERCENT",
            20,
            text -> intIn(text, 1, 1_000, "a percentage from 1 to 1000"),
            "an audience whose size moved by more than this share in a day is an item of the change feed");

    public static final List<Setting<?>> ALL = List.of(
            PORT,
            DATA,
            DATABASE_URL,
            ADMIN_TOKEN,
            SQLITE_SYNCHRONOUS,
            SEAL_RAW_EVENTS,
            MAX_PENDING_EVENTS,
            DISK_RESERVE_MB,
            PROCESS_BATCH_SIZE,
            PROCESSOR_SHARE_UNDER_LOAD,
            PROFILE_CACHE_SIZE,
            KEY_STORE,
            PRIVACY_DUE_DAYS,
            PUBLIC_URL,
            BODY_TIMEOUT_SECONDS,
            DECIDE_RATE,
            DECIDE_BURST,
            TEAMS,
            SUBSCRIPTIONS_ALLOW_PRIVATE,
            AUDIENCE_MOVE_PERCENT,
            ADMIN_TOKEN_APPLIES,
            PROPOSAL_DAYS);

    private static boolean bool(String text) {
        return switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }

    private static int intIn(String text, int min, int max, String expected) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not " + expected);
    }

    private static String jdbcPostgres(String text) {
        if (!text.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("'" + text + "' is not a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://localhost:5432/tandem?user=tandem&password=secret");
        }
        return text;
    }

    private static String token(String text) {
        if (text.length() < 16) {
            throw new IllegalArgumentException("the admin token must be at least 16 characters long");
        }
        return text;
    }

    private static String publicUrl(String text) {
        try {
            java.net.URI uri = new java.net.URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && (uri.getPath() == null
                            || uri.getPath().isEmpty()
                            || uri.getPath().equals("/"))
                    && uri.getQuery() == null) {
                return uri.getScheme() + "://" + uri.getRawAuthority();
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a base URL such as https://cdp.example.com or http://10.0.0.5:8080 "
                        + "(scheme, host and port only)");
    }

    private static String synchronous(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        if (!List.of("OFF", "NORMAL", "FULL", "EXTRA").contains(value)) {
            throw new IllegalArgumentException("'" + text + "' is not one of FULL, NORMAL, EXTRA, OFF");
        }
        return value;
    }
}
