package dev.tandem.collect;

import java.util.regex.Pattern;

/**
 * A source as {@code tandem.yaml} or the admin API declares it; a null write key is generated, and
 * the retention is {@link Retention#DEFAULTS} unless declared. A source that takes webhooks
 * declares how their payloads become events; null when it takes none.
 */
public record SourceDeclaration(String name, String writeKey, WebhookMapping webhook, Retention retention) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern WRITE_KEY = Pattern.compile("[A-Za-z0-9_.-]{8,128}");

    public static final String NAME_RULE =
            "a source name is 1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit";
    public static final String WRITE_KEY_RULE = "a write key is 8 to 128 letters, digits, '.', '-' or '_'";

    public SourceDeclaration {
        retention = retention == null ? Retention.DEFAULTS : retention;
    }

    public SourceDeclaration(String name, String writeKey) {
        this(name, writeKey, null, Retention.DEFAULTS);
    }

    public SourceDeclaration(String name, String writeKey, WebhookMapping webhook) {
        this(name, writeKey, webhook, Retention.DEFAULTS);
    }

    public SourceDeclaration(String name, String writeKey, Retention retention) {
        this(name, writeKey, null, retention);
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean validWriteKey(String writeKey) {
        return writeKey != null && WRITE_KEY.matcher(writeKey).matches();
    }
}
