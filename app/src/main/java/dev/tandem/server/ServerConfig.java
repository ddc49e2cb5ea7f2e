package dev.tandem.server;

import dev.tandem.config.ConfigException;
import dev.tandem.decide.DecideRate;
import java.nio.file.Path;
import java.util.Map;

/**
 * The resolved server settings. Each value comes from, in order of precedence: the command line,
 * a {@code TANDEM_*} environment variable, the {@code server:} block of {@code tandem.yaml}, the
 * default.
 */
public record ServerConfig(
        int port,
        Path data,
        String databaseUrl,
        String adminToken,
        String sqliteSynchronous,
        boolean sealRawEvents,
        int maxPendingEvents,
        int diskReserveMb,
        int processBatchSize,
        int processorShareUnderLoad,
        int profileCacheSize,
        Path keyStore,
        int privacyDueDays,
        String publicUrl,
        int bodyTimeoutSeconds,
        DecideRate decideRate,
        Map<String, String> teams,
        boolean subscriptionsAllowPrivate,
        int audienceMovePercent,
        Approvals approvals) {

    /** How changes are approved: whether the admin token's apply at once, and how long proposals wait. */
    public record Approvals(boolean adminTokenApplies, int proposalDays) {}

    /** Where clients reach this server: {@code publicUrl} as set, else {@code http://localhost:<port>}. */
    public String publicBaseUrl(int boundPort) {
        return publicUrl != null ? publicUrl : "http://localhost:" + boundPort;
    }

    /** The key store's directory: as set, else beside the data directory with -keys added to its name. */
    public Path keyStore() {
        return keyStore != null
                ? keyStore
                : data.toAbsolutePath().resolveSibling(data.toAbsolutePath().getFileName() + "-keys");
    }

    /**
     * @param commandLine values given as options, by setting key
     * @param env         the environment
     * @param file        the {@code server:} block of {@code tandem.yaml}, by setting key
     */
    public static ServerConfig resolve(
            Map<String, String> commandLine, Map<String, String> env, Map<String, String> file) {
        return new ServerConfig(
                value(ServerSettings.PORT, commandLine, env, file),
                value(ServerSettings.DATA, commandLine, env, file),
                value(ServerSettings.DATABASE_URL, commandLine, env, file),
                value(ServerSettings.ADMIN_TOKEN, commandLine, env, file),
                value(ServerSettings.SQLITE_SYNCHRONOUS, commandLine, env, file),
                value(ServerSettings.SEAL_RAW_EVENTS, commandLine, env, file),
                value(ServerSettings.MAX_PENDING_EVENTS, commandLine, env, file),
                value(ServerSettings.DISK_RESERVE_MB, commandLine, env, file),
                value(ServerSettings.PROCESS_BATCH_SIZE, commandLine, env, file),
                value(ServerSettings.PROCESSOR_SHARE_UNDER_LOAD, commandLine, env, file),
                value(ServerSettings.PROFILE_CACHE_SIZE, commandLine, env, file),
                value(ServerSettings.KEY_STORE, commandLine, env, file),
                value(ServerSettings.PRIVACY_DUE_DAYS, commandLine, env, file),
                value(ServerSettings.PUBLIC_URL, commandLine, env, file),
                value(ServerSettings.BODY_TIMEOUT_SECONDS, commandLine, env, file),
                new DecideRate(
                        value(ServerSettings.DECIDE_RATE, commandLine, env, file),
                        value(ServerSettings.DECIDE_BURST, commandLine, env, file)),
                value(ServerSettings.TEAMS, commandLine, env, file),
                value(ServerSettings.SUBSCRIPTIONS_ALLOW_PRIVATE, commandLine, env, file),
                value(ServerSettings.AUDIENCE_MOVE_PERCENT, commandLine, env, file),
                new Approvals(
                        value(ServerSettings.ADMIN_TOKEN_APPLIES, commandLine, env, file),
                        value(ServerSettings.PROPOSAL_DAYS, commandLine, env, file)));
    }

    private static <T> T value(
            Setting<T> setting, Map<String, String> commandLine, Map<String, String> env, Map<String, String> file) {
        String where;
        String text;
        if (commandLine.get(setting.key()) != null) {
            where = "the command line option for " + setting.key();
            text = commandLine.get(setting.key());
        } else if (env.get(setting.env()) != null && !env.get(setting.env()).isEmpty()) {
            where = "the environment variable " + setting.env();
            text = env.get(setting.env());
        } else if (file.get(setting.key()) != null) {
            where = "tandem.yaml server." + setting.key();
            text = file.get(setting.key());
        } else {
            return setting.defaultValue();
        }
        try {
            return setting.parse().apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Bad value in " + where + ": " + e.getMessage() + ".");
        }
    }

    /** A copy with another port, for tests and the demo. */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(
                newPort,
                data,
                databaseUrl,
                adminToken,
                sqliteSynchronous,
                sealRawEvents,
                maxPendingEvents,
                diskReserveMb,
                processBatchSize,
                processorShareUnderLoad,
                profileCacheSize,
                keyStore,
                privacyDueDays,
                publicUrl,
                bodyTimeoutSeconds,
                decideRate,
                teams,
                subscriptionsAllowPrivate,
                audienceMovePercent,
                approvals);
    }
}
