package dev.tandem.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.error.Unauthorized;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * User tokens: how a site's backend vouches, to a browser calling {@code /v1/decide} with the
 * public write key, that the visitor is the user {@code sub}. The format is
 * {@code base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))}, base64url
 * without padding, the payload a JSON object {@code {"sub": "u-42", "exp": 1767225600}} ({@code exp}
 * in seconds since the epoch), the secret the source's decide secret as UTF-8 bytes. It is a JWT
 * without its header, so a backend needs nothing but an HMAC.
 */
final class UserTokens {
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final ObjectMapper mapper;

    UserTokens(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The user id the token vouches for, or 401 saying what is wrong with it. */
    String userId(String token, String secret, Instant now) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw invalid("it is not two base64url parts joined by a dot");
        }
        String payload = token.substring(0, dot);
        byte[] mac;
        try {
            mac = BASE64URL.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("its signature is not base64url");
        }
        if (!MessageDigest.isEqual(mac, sign(secret, payload))) {
            throw invalid(
                    "the signature does not match this source's decide secret (was it signed with another, or changed?)");
        }
        JsonNode claims;
        try {
            claims = mapper.readTree(BASE64URL.decode(payload));
        } catch (IOException | IllegalArgumentException e) {
            throw invalid("its payload is not base64url JSON");
        }
        JsonNode sub = claims.path("sub");
        JsonNode exp = claims.path("exp");
        if (!sub.isTextual() || sub.asText().isBlank() || !exp.canConvertToLong()) {
            throw invalid("its payload needs \"sub\" (the user id) and \"exp\" (seconds since the epoch)");
        }
        if (exp.asLong() <= now.getEpochSecond()) {
            throw new Unauthorized(
                    "expired_user_token",
                    "The userToken expired at " + Instant.ofEpochSecond(exp.asLong())
                            + "; have the site's backend sign a new one.");
        }
        return sub.asText();
    }

    static byte[] sign(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
        }
    }

    private static Unauthorized invalid(String why) {
        return new Unauthorized(
                "invalid_user_token",
                "The userToken is not valid: " + why + ". See docs/decide.md for how a backend signs one.");
    }
}
