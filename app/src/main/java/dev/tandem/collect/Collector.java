package dev.tandem.collect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Unavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a parsed tracking request into stored events: checks each event, hands the result to
 * the inbox writer, and waits for the commit before it answers.
 */
public final class Collector {
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

    private final EventCheck check;
    /** The same checks without tracking plans, for events Tandem itself emits: no source's plan describes them. */
    private final EventCheck unplanned;

    private volatile EventPlans plans = EventPlans.NONE;
    private final InboxWriter writer;
    private final Clock clock;
    private final Counter received;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter deduplicated;
    private final Counter suppressed;

    public Collector(
            ObjectMapper mapper,
            Limits limits,
            EventScreen screen,
            InboxWriter writer,
            Clock clock,
            MeterRegistry meters) {
        this.check = new EventCheck(mapper, limits, screen, () -> plans);
        this.unplanned = new EventCheck(mapper, limits, screen, () -> EventPlans.NONE);
        this.writer = writer;
        this.clock = clock;
        this.received = Counter.builder("tandem.collect.received")
                .description("Events received")
                .register(meters);
        this.accepted = Counter.builder("tandem.collect.accepted")
                .description("Events accepted into the inbox")
                .register(meters);
        this.rejected = Counter.builder("tandem.collect.rejected")
                .description("Events refused into the quarantine")
                .register(meters);
        this.deduplicated = Counter.builder("tandem.collect.deduplicated")
                .description("Accepted events whose messageId the source had sent before")
                .register(meters);
        this.suppressed = Counter.builder("tandem.collect.suppressed")
                .description("Events not stored because their subject asked to be forgotten")
                .register(meters);
    }

    /** Puts tracking plans in force for every event collected from now on, replayed ones included. */
    void checkPlans(EventPlans plans) {
        this.plans = plans;
    }

    /**
     * @param pathType the endpoint's type, or null for batches
     * @param gpc      whether the browser sent the Global Privacy Control signal
     */
    Receipt collect(Source source, TrackingRequest request, EventType pathType, boolean gpc) {
        Instant receivedAt = clock.instant();
        Arrival arrival = Arrival.of(receivedAt, request.sentAt());
        List<Checked> checked = new ArrayList<>(request.events().size());
        for (TrackingRequest.Incoming in : request.events()) {
            checked.add(check.check(source, in, request, pathType, arrival, gpc));
        }
        return store(source, receivedAt, checked);
    }

    /**
     * Stores what a webhook mapping made of one payload: each event through the same checks as a
     * tracking call, each element the mapping failed on in the quarantine with its reason.
     */
    Receipt collectMapped(Source source, List<WebhookMapping.Mapped> mapped, ObjectMapper mapper) {
        Instant receivedAt = clock.instant();
        Arrival arrival = Arrival.of(receivedAt, null);
        TrackingRequest none = new TrackingRequest(List.of(), null, null, null, null);
        List<Checked> checked = new ArrayList<>(mapped.size());
        for (int i = 0; i < mapped.size(); i++) {
            checked.add(
                    switch (mapped.get(i)) {
                        case WebhookMapping.Mapped.Event e ->
                            check.check(
                                    source,
                                    new TrackingRequest.Incoming(i, e.json(), bytes(mapper, e.json()), null),
                                    none,
                                    null,
                                    arrival,
                                    false);
                        case WebhookMapping.Mapped.Failed f -> check.refuse(source.id(), i, f.reason(), f.item());
                    });
        }
        return store(source, receivedAt, checked);
    }

    private static int bytes(ObjectMapper mapper, ObjectNode event) {
        try {
            return mapper.writeValueAsBytes(event).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A mapped event could not be written as JSON", e);
        }
    }

    private Receipt store(Source source, Instant receivedAt, List<Checked> checked) {
        List<Checked.Accepted> ok = new ArrayList<>(checked.size());
        List<Checked.Rejected> refused = new ArrayList<>(0);
        int dropped = 0;
        for (Checked c : checked) {
            switch (c) {
                case Checked.Accepted a -> ok.add(a);
                case Checked.Rejected r -> refused.add(r);
                case Checked.Suppressed x -> dropped++;
            }
        }
        suppressed.increment(dropped);
        received.increment(checked.size());
        int duplicates = await(writer.submit(new Submission(source.id(), receivedAt.toEpochMilli(), ok, refused)));
        accepted.increment(ok.size());
        rejected.increment(refused.size());
        deduplicated.increment(duplicates);
        List<Receipt.RejectedEvent> reasons = refused.stream()
                .map(r -> new Receipt.RejectedEvent(
                        r.index(),
                        r.reason().code(),
                        r.reason().message(),
                        r.reason().field()))
                .toList();
        return new Receipt(true, ok.size() + dropped, duplicates, reasons);
    }

    /**
     * Re-submits one fixed event. Unlike a tracking call, a refused event is not quarantined again:
     * the caller gets the reason as a 400 and the original stays in the quarantine.
     */
    Receipt replay(Source source, ObjectNode event, int bytes) {
        Instant receivedAt = clock.instant();
        TrackingRequest request = new TrackingRequest(
                List.of(new TrackingRequest.Incoming(0, event, bytes, null)), null, null, null, null);
        return switch (check.check(
                source, request.events().get(0), request, null, Arrival.of(receivedAt, null), false)) {
            case Checked.Rejected r ->
                throw new BadRequest(
                        r.reason().code(), r.reason().message(), r.reason().field());
            case Checked.Suppressed x -> {
                suppressed.increment();
                yield new Receipt(true, 1, 0, List.of());
            }
            case Checked.Accepted a -> {
                int duplicates = await(
                        writer.submit(new Submission(source.id(), receivedAt.toEpochMilli(), List.of(a), List.of())));
                received.increment();
                accepted.increment();
                deduplicated.increment(duplicates);
                yield new Receipt(true, 1, duplicates, List.of());
            }
        };
    }

    /**
     * Stores an event Tandem itself emits for a source, such as {@code Experiment Viewed}, through
     * the same checks as a tracking call. Returns without waiting for the commit: the caller
     * answers its own request first. An event Tandem built wrong is a bug, so a refusal throws.
     */
    public java.util.concurrent.CompletableFuture<Integer> emit(Source source, ObjectNode event) {
        Instant receivedAt = clock.instant();
        TrackingRequest request = new TrackingRequest(
                List.of(new TrackingRequest.Incoming(0, event, event.toString().length(), null)),
                null,
                null,
                null,
                null);
        return switch (unplanned.check(
                source, request.events().get(0), request, null, Arrival.of(receivedAt, null), false)) {
            case Checked.Rejected r ->
                throw new IllegalStateException(
                        "Tandem built an event it refuses: " + r.reason().message());
            case Checked.Suppressed x -> {
                suppressed.increment();
                yield java.util.concurrent.CompletableFuture.completedFuture(0);
            }
            case Checked.Accepted a -> {
                received.increment();
                accepted.increment();
                yield writer.submit(new Submission(source.id(), receivedAt.toEpochMilli(), List.of(a), List.of()));
            }
        };
    }

    private static int await(java.util.concurrent.CompletableFuture<Integer> commit) {
        try {
            return commit.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Unavailable unavailable) {
                throw unavailable;
            }
            throw new IllegalStateException("The inbox writer failed unexpectedly", e.getCause());
        } catch (TimeoutException e) {
            throw new Unavailable(
                    "commit_timeout",
                    "The inbox did not commit within " + COMMIT_WAIT.toSeconds()
                            + " s; the events may or may not be stored. Retry: duplicates are removed by messageId.",
                    Duration.ofSeconds(5),
                    false,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(
                    "interrupted",
                    "The request was interrupted before the commit; retry.",
                    Duration.ofSeconds(1),
                    false,
                    e);
        }
    }
}
