package dev.tandem.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulation run: makes customers and their journeys over the last {@code days} days, writes
 * the truth when asked, and sends the events to a server.
 *
 * @param seed the same seed gives the same customers and events (messageIds aside)
 */
public record Simulation(int customers, int days, double rate, String target, String writeKey, Path truth, long seed) {

    public Simulation {
        if (customers < 1 || customers > 10_000_000) {
            throw new IllegalArgumentException("--customers must be from 1 to 10,000,000; got " + customers);
        }
        if (days < 1 || days > 3_650) {
            throw new IllegalArgumentException("--days must be from 1 to 3650; got " + days);
        }
        if (rate < 0) {
            throw new IllegalArgumentException(
                    "--rate must be 0 (as fast as possible) or a positive number of events per second");
        }
    }

    /** Runs it, printing progress; returns what the sender saw. */
    public Summary run(ObjectMapper mapper, Clock clock, PrintStream out) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        Instant start = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
        List<Customer> people = Population.generate(customers, random);
        List<SimulatedEvent> events = new java.util.ArrayList<>(new Journeys(random, start, days).of(people));
        events.addAll(new Surveys(seed, start, days).of(people));
        events.sort(java.util.Comparator.comparing(SimulatedEvent::at));
        out.printf("Simulating %,d customers over %d days: %,d events to %s%n", customers, days, events.size(), target);
        if (truth != null) {
            TruthFile.write(truth, people, events, mapper);
            out.println("  truth written to " + truth.toAbsolutePath());
        }
        BatchSender.Result result = new BatchSender(mapper, target, writeKey, clock, out).send(events, rate);
        return new Summary(result.sent(), result.rejected(), result.took());
    }

    public record Summary(int sent, int rejected, Duration took) {}
}
