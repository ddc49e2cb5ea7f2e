package dev.tandem.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A {@code /v1/batch} body of realistic track events (about 400 bytes each) whose messageIds
 * carry an 8-digit request number: {@link #next} copies the bytes and writes a new number into
 * every messageId, so each request is unique (no dedup shortcut) while the generator does no
 * JSON work per request. The batch size is part of each messageId too, so runs of different
 * sizes against one database never collide.
 */
final class BodyTemplate {
    private static final String TOKEN = "RQ000000";
    private final byte[] bytes;
    private final int[] offsets;

    BodyTemplate(int batchSize) {
        this.bytes = body(batchSize).getBytes(StandardCharsets.UTF_8);
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

    private static String body(int batchSize) {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder json = new StringBuilder(batchSize * 450 + 100).append("{\"batch\":[");
        for (int i = 0; i < batchSize; i++) {
            int user = random.nextInt(1_000_000);
            json.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"user-")
                    .append(user)
                    .append("\",\"anonymousId\":\"anon-")
                    .append(user * 31L)
                    .append("\",\"messageId\":\"")
                    .append(TOKEN)
                    .append("-b")
                    .append(batchSize)
                    .append('-')
                    .append(i)
                    .append("\",\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"properties\":{\"product_id\":\"p-")
                    .append(random.nextInt(500))
                    .append("\",\"sku\":\"SKU-")
                    .append(random.nextInt(10_000))
                    .append("\",\"name\":\"Trail Shoe\",\"price\":89.0,\"currency\":\"USD\",\"category\":\"Shoes\"},")
                    .append("\"context\":{\"ip\":\"203.0.113.")
                    .append(random.nextInt(255))
                    .append(
                            "\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"page\":{\"path\":\"/products/p\",\"url\":\"https://shop.example.com/products/p\"}}}");
        }
        return json.append(
                        "],\"sentAt\":\"2026-11-23T10:00:01.000Z\",\"context\":{\"library\":{\"name\":\"bench\",\"version\":\"1\"}}}")
                .toString();
    }
}
