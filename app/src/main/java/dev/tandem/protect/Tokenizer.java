package dev.tandem.protect;

import com.google.crypto.tink.DeterministicAead;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Identifiers as stored: deterministic encryption (AES-SIV) of the normalised value with its type
 * as associated data, so equal identifiers give equal tokens and identity matching works on
 * tokens, while the database never holds the value itself. Thread-safe.
 */
public final class Tokenizer {
    private static final String PREFIX = "t1.";
    /** Stores values as they are: for benchmarks that measure what tokenization costs. */
    public static final Tokenizer CLEAR = new Tokenizer(null);

    private static final int MEMO_LIMIT = 500_000;

    private final DeterministicAead key;
    /**
     * Why: one identifier is tokenized for the lookup of a batch and again for its write, recurring
     * ones every batch, and a profile's identifier set is read back (detokenized) whenever it left
     * the resolver's cache. Both directions are remembered: value to token (by type, then value:
     * why not one map under "type + value": that key was a new string built and hashed on every
     * lookup, where the value's own hash is already cached), token to value.
     */
    private final java.util.Map<String, java.util.Map<String, String>> memo =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.Map<String, String> values = new java.util.concurrent.ConcurrentHashMap<>();

    Tokenizer(DeterministicAead key) {
        this.key = key;
    }

    public String token(String type, String value) {
        if (key == null) {
            return value;
        }
        java.util.Map<String, String> ofType = memo.get(type);
        String known = ofType == null ? null : ofType.get(value);
        if (known != null) {
            return known;
        }
        try {
            String token = PREFIX
                    + Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(key.encryptDeterministically(
                                    value.getBytes(StandardCharsets.UTF_8), type.getBytes(StandardCharsets.UTF_8)));
            remember(type, value, token);
            return token;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tokenizing failed: " + e.getMessage(), e);
        }
    }

    private void remember(String type, String value, String token) {
        // every remembered pair is in both maps, so the size of one bounds both
        if (values.size() >= MEMO_LIMIT) {
            memo.clear();
            values.clear();
        }
        memo.computeIfAbsent(type, t -> new java.util.concurrent.ConcurrentHashMap<>())
                .put(value, token);
        values.put(token, value);
    }

    /** Drops the memoized tokens, and with them the identifiers in memory (after an erasure). */
    public void forgetAll() {
        memo.clear();
        values.clear();
    }

    public String value(String type, String token) {
        if (key == null || !token.startsWith(PREFIX)) {
            return token; // stored before tokenization existed
        }
        String known = values.get(token);
        if (known != null) {
            return known;
        }
        try {
            String value = new String(
                    key.decryptDeterministically(
                            Base64.getUrlDecoder().decode(token.substring(PREFIX.length())),
                            type.getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
            remember(type, value, token);
            return value;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "A stored identifier token of type " + type + " does not decrypt with this key store's key; "
                            + "was the key store replaced?",
                    e);
        }
    }
}
