package dev.tandem.connect;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing as Standard Webhooks 1.0 specifies: the secret is {@code whsec_} and base64 of the key;
 * the signed content is {@code <webhook-id>.<webhook-timestamp>.<body>}; the header is
 * {@code v1,} and base64 of its HMAC-SHA256.
 */
public final class StandardWebhooks {
    public static final String PREFIX = "whsec_";

    private StandardWebhooks() {}

    /** Why {@code secret} is not a usable signing secret, or null when it is. */
    public static String problem(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return "'secret' must start with whsec_ followed by base64 of at least 24 random bytes "
                    + "(make one with: echo whsec_$(openssl rand -base64 32)).";
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            return key.length < 24 ? "'secret' holds " + key.length + " bytes; use at least 24 (32 is usual)." : null;
        } catch (IllegalArgumentException e) {
            return "'secret' after whsec_ is not base64: " + e.getMessage() + ".";
        }
    }

    /** The {@code webhook-signature} header value for one message. */
    public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
        }
    }
}
