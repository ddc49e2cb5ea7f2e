package dev.tandem.audit;

import com.google.crypto.tink.subtle.Ed25519Verify;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * A signed statement that the log had {@code size} entries, the last with hash {@code root}, at
 * {@code at} (epoch milliseconds). The signature is Ed25519 over {@link #message()}; {@code publicKey}
 * is the raw 32-byte key, base64. Exported as JSON, it lets IT prove later that no entry up to
 * {@code size} was edited, removed or reordered, even by someone who rewrote the whole table.
 */
public record Checkpoint(long size, String root, long at, String signature, String publicKey) {
    /** What is signed: {@code tandem-audit-checkpoint-v1\n<size>\n<root>\n<at>}. */
    public byte[] message() {
        return ("tandem-audit-checkpoint-v1\n" + size + "\n" + root + "\n" + at).getBytes(StandardCharsets.US_ASCII);
    }

    /** True when the signature verifies with this checkpoint's public key. */
    public boolean signatureValid() {
        try {
            new Ed25519Verify(Base64.getDecoder().decode(publicKey))
                    .verify(Base64.getDecoder().decode(signature), message());
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
