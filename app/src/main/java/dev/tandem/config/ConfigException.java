package dev.tandem.config;

/** Configuration that Tandem cannot start with; the message names the file, line and fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
