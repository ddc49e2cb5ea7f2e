package dev.tandem.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.Unavailable;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Facts;
import dev.tandem.expr.ProfileView;
import dev.tandem.expr.Vocabulary;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The estimated size of an unsaved condition and a few matching profiles. Evaluates up to
 * {@value #SAMPLE} stored profiles, starting at a random profile id and wrapping around, and
 * scales the share that matched to all profiles; exact when there are no more than that.
 *
 * <p>A preview is a question a caller asks about people, so it is bounded three ways: the
 * condition may read only what the caller can read in clear ({@link PreviewCaller}); a caller who
 * reads personal data masked gets no count below {@value PreviewCaller#SMALLEST_GROUP}; and the
 * work stops at {@link #DEADLINE} (whether or not the client is still there) with at most
 * {@value #AT_ONCE} previews running at a time.
 */
final class Preview {
    static final int SAMPLE = 20_000;
    /** How long one preview may evaluate before it stops and answers 503. */
    static final Duration DEADLINE = Duration.ofSeconds(5);
    /** Previews evaluating at the same time; more get 503 at once rather than queueing up CPU work. */
    static final int AT_ONCE = 2;

    private static final int SHOWN = 10;

    private final Expressions expressions;
    private final ProfileReader profiles;
    private final IdentityLookup identities;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Semaphore running = new Semaphore(AT_ONCE);

    public Preview(
            Expressions expressions,
            ProfileReader profiles,
            IdentityLookup identities,
            ObjectMapper mapper,
            Clock clock) {
        this.expressions = expressions;
        this.profiles = profiles;
        this.identities = identities;
        this.mapper = mapper;
        this.clock = clock;
    }

    ObjectNode run(String condition, PreviewCaller caller) {
        Expression expression = expressions.compile(condition, Vocabulary.AUDIENCE, "condition");
        caller.requireClearReads(expression);
        if (!running.tryAcquire()) {
            throw new Unavailable(
                    "preview_busy",
                    AT_ONCE + " previews are running; try again in a second.",
                    Duration.ofSeconds(1),
                    false,
                    null);
        }
        try {
            return scan(expression, caller);
        } finally {
            running.release();
        }
    }

    private ObjectNode scan(Expression expression, PreviewCaller caller) {
        long deadline = clock.millis() + DEADLINE.toMillis();
        boolean needIdentifiers = expression.readsVariable("identifiers");
        java.util.function.Predicate<String> traitsRead = Expression.traitsRead(List.of(expression));
        long total = profiles.count();
        long maxId = profiles.maxId();
        long start =
                total <= SAMPLE || maxId == 0 ? 0 : ThreadLocalRandom.current().nextLong(maxId);
        long scanned = 0;
        long matched = 0;
        long failed = 0;
        String lastFailure = null;
        List<Long> shown = new ArrayList<>();
        long after = start;
        boolean wrapped = false;
        while (scanned < Math.min(total, SAMPLE)) {
            List<ProfileView> page = profiles.page(after, (int) Math.min(5_000, SAMPLE - scanned), traitsRead);
            if (page.isEmpty()) {
                if (wrapped || start == 0) {
                    break;
                }
                wrapped = true;
                after = 0;
                continue;
            }
            Map<Long, Map<String, List<String>>> ids = needIdentifiers
                    ? identities.identifiersByType(
                            page.stream().map(ProfileView::id).toList())
                    : Map.of();
            for (ProfileView view : page) {
                if (wrapped && view.id() > start) {
                    break;
                }
                if (clock.millis() > deadline) {
                    throw new Unavailable(
                            "preview_timeout",
                            "The preview ran past its deadline of " + DEADLINE.toSeconds() + " s after " + scanned
                                    + " profiles and was stopped; simplify the condition (fewer or shorter comprehensions).",
                            Duration.ofSeconds(5),
                            false,
                            null);
                }
                scanned++;
                Expression.Outcome outcome =
                        expression.evaluate(Facts.profile(view, ids.getOrDefault(view.id(), Map.of())));
                if (outcome.failed()) {
                    failed++;
                    lastFailure = outcome.error();
                }
                if (outcome.matched()) {
                    matched++;
                    if (shown.size() < SHOWN) {
                        shown.add(view.id());
                    }
                }
            }
            after = page.get(page.size() - 1).id();
            if (wrapped && after >= start) {
                break;
            }
        }
        boolean exact = scanned >= total;
        long estimate = exact || scanned == 0 ? matched : Math.round(matched * (double) total / scanned);
        ObjectNode body = mapper.createObjectNode();
        caller.count(body.put("estimated_size", estimate), "estimated_size", matched, scanned);
        body.put("exact", exact).put("profiles", total).put("evaluated", scanned);
        caller.count(body.put("matched", matched), "matched", matched, scanned);
        caller.count(body.putObject("failures").put("count", failed), "count", failed, scanned)
                .put("last", lastFailure);
        body.putArray("reads")
                .addAll(expression.reads().stream().map(body::textNode).toList());
        ArrayNode sample = body.putArray("sample");
        if (caller.suppresses(matched, scanned)) {
            return body;
        }
        Map<Long, Map<String, List<String>>> ids = caller.shownAs(shown);
        for (long id : shown) {
            sample.addObject()
                    .put("profile_id", Long.toString(id))
                    .set("identifiers", mapper.valueToTree(ids.getOrDefault(id, Map.of())));
        }
        return body;
    }
}
