package dev.tandem.protect;

import java.util.Base64;

/**
 * Reads the purpose consents of an IAB TCF v2 TC string (core segment: version 2, then the fixed
 * fields up to the 24 purpose-consent bits at bit 152). Only what Tandem maps to its purposes
 * is read; vendors and publisher restrictions are left to the CMP.
 */
final class TcfString {
    private static final int PURPOSES_AT = 152;

    private final byte[] bits;

    private TcfString(byte[] bits) {
        this.bits = bits;
    }

    /** The decoded core segment, or null when the text is not a TC string of version 2. */
    static TcfString parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String core = text.split("\\.", 2)[0];
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder()
                    .decode(core.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        TcfString tc = new TcfString(bytes);
        return bytes.length * 8 >= PURPOSES_AT + 24 && tc.number(0, 6) == 2 ? tc : null;
    }

    /** Whether TCF purpose {@code n} (1 to 24) has consent. */
    boolean purposeConsent(int n) {
        return bit(PURPOSES_AT + n - 1);
    }

    private long number(int from, int length) {
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 1) | (bit(from + i) ? 1 : 0);
        }
        return v;
    }

    private boolean bit(int i) {
        return (bits[i / 8] >> (7 - i % 8) & 1) == 1;
    }
}
