package dev.tandem.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.Json;
import dev.tandem.expr.Expressions;
import dev.tandem.govern.Decision;
import dev.tandem.govern.DecisionSink;
import dev.tandem.govern.Flow;
import dev.tandem.govern.Gate;
import dev.tandem.govern.Policy;
import dev.tandem.govern.Subject;
import dev.tandem.protect.Classification;
import dev.tandem.protect.Classifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tandem bench gate}: the policy gate's latency in process with the default pack, each
 * decision timed on its own, for three flows (an ad platform with consent: hashing, dropping,
 * truncating; the same without consent: deny; a warehouse: allow), against a baseline in the same
 * run: copying the payload, which every allow does anyway.
 */
public final class GateBenchmark {
    private static final String EVENT = """
            {"type": "identify", "userId": "u-1", "messageId": "m-1", "timestamp": "2026-11-23T10:00:00.000Z",
             "traits": {"email": "Ann@Example.com", "phone": "+1 415 555 0100", "firstName": "Ann", "lastName": "Lee",
                        "birthday": "1990-05-17", "plan": "pro", "ltv": 1234.5, "city": "Lyon"},
             "properties": {"revenue": 42, "category": "shoes", "coupon": "AUTUMN"},
             "context": {"ip": "203.0.113.9", "locale": "fr-FR", "userAgent": "Mozilla/5.0", "library": {"name": "analytics.js", "version": "2"}}}""";

    private GateBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args, Map.of("decisions", "1000000", "warmup", "300000"));
        int n = Integer.parseInt(o.get("decisions"));
        int warmup = Integer.parseInt(o.get("warmup"));
        ObjectMapper mapper = Json.mapper();
        ObjectNode payload = (ObjectNode) mapper.readTree(EVENT);
        Gate gate = new Gate(
                Policy.defaults(new Expressions()), new Classifier(Classification.defaults()), DecisionSink.NONE);
        Map<String, Boolean> yes = Map.of(
                "analytics",
                true,
                "personalization",
                true,
                "advertising",
                true,
                "email_marketing",
                true,
                "sales",
                true);
        Map<String, Boolean> noAds = Map.of(
                "analytics",
                true,
                "personalization",
                true,
                "advertising",
                false,
                "email_marketing",
                true,
                "sales",
                true);
        Flow ads = new Flow(Flow.Kind.DESTINATION, "ads", List.of("advertising"), Flow.RiskTier.HIGH, "eu", "");
        Flow warehouse =
                new Flow(Flow.Kind.DESTINATION, "warehouse", List.of("analytics"), Flow.RiskTier.LOW, "eu", "");
        System.out.printf(
                "Gate benchmark: default pack (%d rules), %,d timed decisions per case after %,d warm-up ones, one thread%n",
                gate.policy().rules().size(), n, warmup);
        System.out.printf("%-48s %10s %10s %10s %10s%n", "case", "p50 us", "p99 us", "p99.9 us", "max us");
        run("baseline: copy the payload only", n, warmup, () -> payload.deepCopy());
        run(
                "ad platform, consent given (allow_with)",
                n,
                warmup,
                () -> check(gate.decide(ads, new Subject(1, yes, false), payload), "allow_with"));
        run(
                "ad platform, consent withdrawn (deny)",
                n,
                warmup,
                () -> check(gate.decide(ads, new Subject(1, noAds, false), payload), "deny"));
        run(
                "warehouse, analytics (allow_with: IP)",
                n,
                warmup,
                () -> check(gate.decide(warehouse, new Subject(1, yes, false), payload), "allow_with"));
    }

    private static Object check(Decision d, String expected) {
        if (!d.name().equals(expected)) {
            throw new IllegalStateException(
                    "expected " + expected + " but the gate said " + d.name() + ": " + d.reasons());
        }
        return d;
    }

    private static void run(String name, int n, int warmup, java.util.function.Supplier<Object> call) {
        for (int i = 0; i < warmup; i++) {
            call.get();
        }
        long[] nanos = new long[n];
        Object sink = null;
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            sink = call.get();
            nanos[i] = System.nanoTime() - t;
        }
        if (sink == null) {
            throw new IllegalStateException();
        }
        Arrays.sort(nanos);
        System.out.printf(
                "%-48s %10.2f %10.2f %10.2f %10.1f%n",
                name,
                nanos[n / 2] / 1e3,
                nanos[(int) (n * 0.99)] / 1e3,
                nanos[(int) (n * 0.999)] / 1e3,
                nanos[n - 1] / 1e3);
    }
}
