package dev.tandem.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch body whose messageIds carry an 8-digit request number: {@link #next} copies the bytes
 * and writes a new number into every messageId, so each request is unique (no dedup shortcut)
 * while the generator does no JSON work per request.
 */
final class BodyTemplate {
    static final String TOKEN = "RQ000000";
    private final byte[] bytes;
    private final int[] offsets;
    private final int events;

    BodyTemplate(int batchSize) {
        this.bytes = EventBodies.batches(batchSize, 1, TOKEN).get(0);
        this.events = batchSize;
        byte[] token = TOKEN.getBytes(StandardCharsets.US_ASCII);
        List<Integer> found = new ArrayList<>();
        outer:
        for (int i = 0; i <= bytes.length - token.length; i++) {
            for (int j = 0; j < token.length; j++) {
                if (bytes[i + j] != token[j]) {
                    continue outer;
                }
            }
            found.add(i);
        }
        this.offsets = found.stream().mapToInt(Integer::intValue).toArray();
    }

    int events() {
        return events;
    }

    int size() {
        return bytes.length;
    }

    byte[] next(long requestNumber) {
        byte[] copy = bytes.clone();
        for (int offset : offsets) {
            long n = requestNumber;
            for (int d = 7; d >= 0; d--) {
                copy[offset + d] = (byte) Character.forDigit((int) (n % 36), 36);
                n /= 36;
            }
        }
        return copy;
    }
}
