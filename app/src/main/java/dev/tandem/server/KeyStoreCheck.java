package dev.tandem.server;

import dev.tandem.config.ConfigException;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.protect.KeyStore;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/**
 * Refuses to start over data written with keys that are not in the key store: a new key store
 * where the data holds tokens, a master key whose {@code keys.db} is missing or empty, or the key
 * store of another installation. The data keeps the key store's fingerprint from its first start;
 * data from before the fingerprint existed is checked by decrypting one stored token.
 */
final class KeyStoreCheck {
    private static final String SETTING = "key_store_fingerprint";

    private KeyStoreCheck() {}

    /** Throws a {@link ConfigException} that names the setting to fix; records the fingerprint at first start. */
    static void verify(Jdbi jdbi, KeyStore keys, IdentityLookup identities, Path dir) {
        String stored = jdbi.withHandle(h -> h.createQuery("SELECT value FROM server_settings WHERE name = :n")
                .bind("n", SETTING)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
        String mine = keys.fingerprint();
        if (mine.equals(stored)) {
            return;
        }
        boolean written = stored != null || identities.holdsTokens();
        if (written && keys.createdNow()) {
            throw new ConfigException(
                    "The key store " + dir + " was just created, but the data already holds identifiers "
                            + "tokenized with another one: profiles would split and personal traits stay unreadable. Point keyStore (TANDEM_KEY_STORE) "
                            + "at the key store this data was written with, and remove the new, empty one.");
        }
        if (written && keys.tokenKeyCreatedNow()) {
            throw new ConfigException("The key store " + dir
                    + " has its master key but its keys.db was missing or empty, and the data was "
                    + "written with the keys that were in it: customers would not be found again and personal traits stay unreadable. Restore "
                    + "keys.db from the key store's backup, or point keyStore (TANDEM_KEY_STORE) at the key store this data was written with; "
                    + "then remove the new, empty keys.db. If those keys are lost for good, the personal data cannot be read again: start "
                    + "with a new data directory.");
        }
        if (stored != null || !identities.tokensDecrypt()) {
            throw new ConfigException(
                    "The key store " + dir + " is not the one this data was written with (another installation's, "
                            + "or one whose keys.db was replaced): customers would not be found again and personal traits stay unreadable. Point keyStore "
                            + "(TANDEM_KEY_STORE) at the key store this data was written with.");
        }
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO server_settings (name, value) VALUES (:n, :v)")
                .bind("n", SETTING)
                .bind("v", mine)
                .execute());
    }
}
