package dev.tandem.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.pipeline.Batch;
import dev.tandem.pipeline.BatchChanges;
import dev.tandem.pipeline.BatchItem;
import dev.tandem.pipeline.Change;
import dev.tandem.pipeline.Merge;
import dev.tandem.pipeline.Prepared;
import dev.tandem.pipeline.Stage;
import dev.tandem.protect.Tokenizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code resolve} stage: gives every event a profile.
 *
 * <p>The profiles an event's identifiers point at, and its new identifiers, are joined into one
 * profile (the oldest id survives) unless that would put more values of a type on one profile
 * than its limit allows. Then the event's lowest-priority identifier is dropped from matching and
 * the rest retried, so a shared device or a household email cannot join two signed-in customers.
 * One identifier alone always resolves: it either has a profile or starts one.
 */
public final class Resolver implements Stage {
    private final IdentityRules rules;
    private final IdentifierExtractor extractor;
    private final IdentityGraph graph;
    private final Tokenizer tokens;
    private final Counter merges;
    private final Counter created;
    private final Counter dropped;
    private final Counter unresolved;
    private final Counter blocked;
    private final Counter invalid;

    public Resolver(Jdbi jdbi, IdentityRules rules, Tokenizer tokens, long cachedIdentifiers, MeterRegistry meters) {
        this.rules = rules;
        this.extractor = new IdentifierExtractor(rules);
        this.tokens = tokens;
        this.graph = new IdentityGraph(new IdentityStore(jdbi, tokens), cachedIdentifiers);
        this.merges = meters.counter("tandem.identity.merges");
        this.created = meters.counter("tandem.identity.profiles.created");
        this.dropped = Counter.builder("tandem.identity.dropped")
                .description("Identifiers left out of matching because of a limit")
                .register(meters);
        this.unresolved = Counter.builder("tandem.identity.unresolved")
                .description("Events without any usable identifier")
                .register(meters);
        this.blocked = Counter.builder("tandem.identity.blocked")
                .description("Identifier values refused by the blocklist")
                .register(meters);
        this.invalid = Counter.builder("tandem.identity.invalid")
                .description("Identifier values that do not normalise (bad email or phone)")
                .register(meters);
    }

    @Override
    public String name() {
        return "resolve";
    }

    @Override
    public java.util.Set<Change> reads() {
        return java.util.Set.of();
    }

    @Override
    public java.util.Set<Change> writes() {
        return java.util.Set.of(Change.IDENTIFIERS, Change.MERGES);
    }

    /** An event's identifiers as the rules read them, and its alias's previous id: the event alone decides them. */
    private record Extracted(List<Identifier> ids, Identifier previous, int blocked, int invalid) {}

    private static final Prepared<Extracted> EXTRACTED = new Prepared<>("resolve.identifiers");

    /**
     * Ahead of the batch: each event's identifiers, normalised, and their tokens computed into the
     * tokenizer's memo, where the lookups of {@link #process} then find them.
     */
    @Override
    public void prepare(List<BatchItem> items) {
        for (BatchItem item : items) {
            try {
                Extracted found = extract(item.event());
                for (Identifier id : found.ids()) {
                    tokens.token(id.type(), id.value());
                }
                item.prepared(EXTRACTED, found);
            } catch (RuntimeException e) {
                // left unprepared: process extracts it again, and fails on it there, where the event is set aside
            }
        }
    }

    private Extracted extract(JsonNode event) {
        IdentifierExtractor.Tally tally = new IdentifierExtractor.Tally();
        List<Identifier> ids = extractor.extract(event, tally);
        Identifier previous = "alias".equals(event.path("type").asText())
                ? extractor.identifier(
                        "anonymous_id",
                        Normalization.ID,
                        event.path("previousId").asText(""),
                        tally)
                : null;
        return new Extracted(ids, previous, tally.blocked, tally.invalid);
    }

    @Override
    public void process(Batch of) {
        List<BatchItem> batch = of.items();
        BatchChanges changes = of.changes();
        changes.identifiersFrom(this::identifiers);
        int blockedNow = 0;
        int invalidNow = 0;
        List<List<Identifier>> found = new ArrayList<>(batch.size());
        List<Identifier> all = new ArrayList<>(batch.size() * 3);
        Map<Integer, Identifier> aliases = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Extracted extracted = batch.get(i).prepared(EXTRACTED);
            if (extracted == null) {
                extracted = extract(batch.get(i).event());
            }
            found.add(extracted.ids());
            all.addAll(extracted.ids());
            blockedNow += extracted.blocked();
            invalidNow += extracted.invalid();
            Identifier previous = extracted.previous();
            if (previous != null) {
                aliases.put(i, previous);
                all.add(previous);
                all.add(new Identifier("user_id", previous.value()));
            }
        }
        graph.prefetch(all);
        int mergesBefore = graph.mergeCount();
        int createdBefore = graph.newProfileCount();
        for (int i = 0; i < batch.size(); i++) {
            List<Identifier> ids = found.get(i);
            Identifier previous = aliases.get(i);
            if (previous != null) {
                ids = withPrevious(ids, previous);
            }
            resolve(batch.get(i), ids, changes);
        }
        for (long profile : graph.changedInBatch()) {
            changes.profile(profile).markIdentifiers();
        }
        merges.increment(graph.mergeCount() - mergesBefore);
        created.increment(graph.newProfileCount() - createdBefore);
        blocked.increment(blockedNow);
        invalid.increment(invalidNow);
    }

    /** An alias's previousId is the user_id it names when that user exists, else an anonymous_id. */
    private List<Identifier> withPrevious(List<Identifier> ids, Identifier previous) {
        Identifier asUser = new Identifier("user_id", previous.value());
        Identifier chosen = graph.profileOf(asUser) != 0 ? asUser : previous;
        if (ids.contains(chosen)) {
            return ids;
        }
        List<Identifier> out = new ArrayList<>(ids);
        out.add(chosen);
        out.sort(java.util.Comparator.comparingInt(id -> rules.rank(id.type())));
        return out;
    }

    private void resolve(BatchItem item, List<Identifier> ids, BatchChanges changes) {
        List<Identifier> trying = new ArrayList<>(ids);
        while (!trying.isEmpty()) {
            List<Long> profiles = new ArrayList<>(2);
            List<Identifier> fresh = new ArrayList<>(2);
            for (Identifier id : trying) {
                long p = graph.profileOf(id);
                if (p == 0) {
                    fresh.add(id);
                } else if (!profiles.contains(p)) {
                    profiles.add(p);
                }
            }
            if (withinLimits(profiles, fresh, item.timestamp())) {
                join(item, trying, profiles, fresh, changes);
                return;
            }
            trying.remove(trying.size() - 1);
            dropped.increment();
        }
        unresolved.increment();
        item.resolvedTo(0);
    }

    private boolean withinLimits(List<Long> profiles, List<Identifier> fresh, long at) {
        if (fresh.isEmpty() && profiles.size() <= 1) {
            return true;
        }
        // Joining several profiles can break any type's limit; adding to one profile only the types added,
        // so a profile that is over a limit lowered later still takes events and other identifiers.
        java.util.Set<String> checked = null;
        if (profiles.size() <= 1) {
            checked = new java.util.HashSet<>();
            for (Identifier id : fresh) {
                checked.add(id.type());
            }
        }
        Map<String, List<Long>> firstSeen = new HashMap<>();
        for (long p : profiles) {
            for (Link l : graph.identifiersOf(p)) {
                if (checked == null || checked.contains(l.id().type())) {
                    firstSeen
                            .computeIfAbsent(l.id().type(), k -> new ArrayList<>(4))
                            .add(l.firstSeen());
                }
            }
        }
        for (Identifier id : fresh) {
            firstSeen.computeIfAbsent(id.type(), k -> new ArrayList<>(1)).add(at);
        }
        for (var e : firstSeen.entrySet()) {
            if (!rules.limit(e.getKey()).allows(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private void join(
            BatchItem item, List<Identifier> ids, List<Long> profiles, List<Identifier> fresh, BatchChanges changes) {
        long kept = profiles.isEmpty()
                ? graph.newProfile(item.timestamp())
                : profiles.stream().mapToLong(Long::longValue).min().orElseThrow();
        for (long p : profiles) {
            if (p != kept) {
                Identifier by = ids.stream()
                        .filter(id -> graph.profileOf(id) == p)
                        .findFirst()
                        .orElseThrow();
                graph.merge(kept, p, by, item.messageId(), item.seq(), item.timestamp());
                Merge merge = new Merge(kept, p);
                item.merged(merge);
                changes.merged(merge);
            }
        }
        for (Identifier id : fresh) {
            graph.link(id, kept, item.timestamp(), item.sourceId());
        }
        item.resolvedTo(kept);
    }

    /** A profile's identifiers as this batch left them, values by type, for the stages after this one. */
    private Map<String, List<String>> identifiers(long profile) {
        Map<String, List<String>> byType = new java.util.TreeMap<>();
        for (Link link : graph.identifiersOf(profile)) {
            byType.computeIfAbsent(link.id().type(), t -> new java.util.ArrayList<>())
                    .add(link.id().value());
        }
        return byType;
    }

    @Override
    public void write(Handle transaction) {
        graph.write(transaction);
    }

    @Override
    public void committed() {
        graph.committed();
    }

    @Override
    public void discard() {
        graph.discard();
    }

    @Override
    public void reset(Handle transaction) {
        IdentityStore.reset(transaction);
        graph.forgetAll(IdentityStore.nextProfileId(transaction));
    }

    @Override
    public void erase(Handle transaction, java.util.Collection<Long> profiles) {
        IdentityStore.erase(transaction, profiles);
        graph.forgetAll(IdentityStore.nextProfileId(transaction));
    }
}
