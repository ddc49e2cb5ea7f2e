package dev.tandem.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-built {@code /v1/batch} bodies of realistic track events (about 400 bytes each), so that
 * the load generator spends its time sending, not building JSON. Every event has a unique messageId.
 */
final class EventBodies {
    private EventBodies() {}

    static List<byte[]> batches(int batchSize, int count, String runId) {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> bodies = new ArrayList<>(count);
        long seq = 0;
        for (int b = 0; b < count; b++) {
            StringBuilder json = new StringBuilder(batchSize * 450 + 100).append("{\"batch\":[");
            for (int i = 0; i < batchSize; i++, seq++) {
                int user = random.nextInt(1_000_000);
                json.append(i == 0 ? "" : ",")
                        .append("{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"user-").append(user)
                        .append("\",\"anonymousId\":\"anon-").append(user * 31L).append("\",\"messageId\":\"").append(runId).append('-').append(seq)
                        .append("\",\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"properties\":{\"product_id\":\"p-")
                        .append(random.nextInt(500)).append("\",\"sku\":\"SKU-").append(random.nextInt(10_000))
                        .append("\",\"name\":\"Trail Shoe\",\"price\":89.0,\"currency\":\"USD\",\"category\":\"Shoes\"},")
                        .append("\"context\":{\"ip\":\"203.0.113.").append(random.nextInt(255))
                        .append("\",\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"page\":{\"path\":\"/products/p\",\"url\":\"https://shop.example.com/products/p\"}}}");
            }
            json.append("],\"sentAt\":\"2026-11-23T10:00:01.000Z\",\"context\":{\"library\":{\"name\":\"bench\",\"version\":\"1\"}}}");
            bodies.add(json.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }
}
