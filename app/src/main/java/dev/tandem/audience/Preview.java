package dev.tandem.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.expr.Expression;
import dev.tandem.expr.Expressions;
import dev.tandem.expr.Facts;
import dev.tandem.expr.Vocabulary;
import dev.tandem.identity.IdentityLookup;
import dev.tandem.profile.ProfileReader;
import dev.tandem.profile.ProfileView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The estimated size of an unsaved condition and a few matching profiles. Evaluates up to
 * {@value #SAMPLE} stored profiles, starting at a random profile id and wrapping around, and
 * scales the share that matched to all profiles; exact when there are no more than that.
 */
public final class Preview {
    static final int SAMPLE = 20_000;
    private static final int SHOWN = 10;

    private final Expressions expressions;
    private final ProfileReader profiles;
    private final IdentityLookup identities;
    private final ObjectMapper mapper;
    public Preview(Expressions expressions, ProfileReader profiles, IdentityLookup identities, ObjectMapper mapper) {
        this.expressions = expressions;
        this.profiles = profiles;
        this.identities = identities;
        this.mapper = mapper;
    }

    /** @param shownAs the identifiers of sample profiles as the caller may see them */
    ObjectNode run(String condition, java.util.function.Function<List<Long>, Map<Long, Map<String, List<String>>>> shownAs) {
        Expression expression = expressions.compile(condition, Vocabulary.AUDIENCE, "condition");
        boolean needIdentifiers = expression.readsVariable("identifiers");
        java.util.function.Predicate<String> traitsRead = Expression.traitsRead(List.of(expression));
        long total = profiles.count();
        long maxId = profiles.maxId();
        long start = total <= SAMPLE || maxId == 0 ? 0 : ThreadLocalRandom.current().nextLong(maxId);
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
                    ? identities.identifiersByType(page.stream().map(ProfileView::id).toList()) : Map.of();
            for (ProfileView view : page) {
                if (wrapped && view.id() > start) {
                    break;
                }
                scanned++;
                Expression.Outcome outcome = expression.evaluate(Facts.profile(view, ids.getOrDefault(view.id(), Map.of())));
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
        ObjectNode body = mapper.createObjectNode().put("estimated_size", estimate).put("exact", exact)
                .put("profiles", total).put("evaluated", scanned).put("matched", matched);
        body.putObject("failures").put("count", failed).put("last", lastFailure);
        body.putArray("reads").addAll(expression.reads().stream().map(body::textNode).toList());
        ArrayNode sample = body.putArray("sample");
        Map<Long, Map<String, List<String>>> ids = shownAs.apply(shown);
        for (long id : shown) {
            sample.addObject().put("profile_id", Long.toString(id)).set("identifiers", mapper.valueToTree(ids.getOrDefault(id, Map.of())));
        }
        return body;
    }
}
