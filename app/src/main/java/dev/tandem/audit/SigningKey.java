package dev.tandem.audit;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.Ed25519Parameters;
import com.google.crypto.tink.signature.Ed25519PublicKey;
import com.google.crypto.tink.signature.SignatureConfig;
import dev.tandem.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;

/**
 * The Ed25519 key that signs checkpoints, through Tink, kept in {@code audit-signing-key.json} in the
 * data directory (600). Why no Tink prefix: a signature is then plain Ed25519 (RFC 8032), so anyone
 * verifies an exported checkpoint with the raw public key and any Ed25519 library, Tink or not.
 */
final class SigningKey {
    static final String FILE = "audit-signing-key.json";

    private final PublicKeySign signer;
    private final byte[] publicKey;

    private SigningKey(PublicKeySign signer, byte[] publicKey) {
        this.signer = signer;
        this.publicKey = publicKey;
    }

    static SigningKey in(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            // Why: on PostgreSQL nothing else may have made the data directory yet
            PrivateFiles.directory(dataDir);
            SignatureConfig.register();
            KeysetHandle handle;
            if (Files.exists(file)) {
                handle = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
            } else {
                handle = KeysetHandle.generateNew(Ed25519Parameters.create(Ed25519Parameters.Variant.NO_PREFIX));
                Path tmp = file.resolveSibling(FILE + ".tmp");
                Files.deleteIfExists(tmp);
                PrivateFiles.file(tmp);
                Files.writeString(
                        tmp, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            Ed25519PublicKey pub = (Ed25519PublicKey)
                    handle.getPublicKeysetHandle().getPrimary().getKey();
            return new SigningKey(
                    handle.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class),
                    pub.getPublicKeyBytes().toByteArray());
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException(
                    "Cannot open the audit signing key " + file + ": " + e.getMessage()
                            + ". Restore the file from a backup, or move it away to start a new key"
                            + " (checkpoints exported before then keep verifying with the old public key).",
                    e);
        }
    }

    byte[] sign(byte[] message) {
        try {
            return signer.sign(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit checkpoint: " + e.getMessage(), e);
        }
    }

    byte[] publicKey() {
        return publicKey.clone();
    }
}
