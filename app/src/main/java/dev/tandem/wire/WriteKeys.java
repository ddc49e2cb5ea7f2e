package dev.tandem.wire;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads the write key from HTTP Basic auth: {@code base64(writeKey:)}, with or without the colon. */
public final class WriteKeys {
    private WriteKeys() {}

    /** The write key in an {@code Authorization} header, or null when there is none. */
    public static String fromAuthorization(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        String key = colon < 0 ? decoded : decoded.substring(0, colon);
        return key.isEmpty() ? null : key;
    }
}
