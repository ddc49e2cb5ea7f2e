package dev.tandem.wire;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Backs the "why" comment in {@link EventTime}: the hand-written ISO-8601 parser against
 * java.time doing the same work, in the same run.
 * Run: {@code ./tandem bench jmh EventTimeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventTimeBenchmark {
    private final String text = "2026-11-23T10:15:30.123Z";
    private final String withOffset = "2026-11-23T12:15:30.123+02:00";

    @Benchmark
    public Instant parseFast() {
        return EventTime.parse(text);
    }

    @Benchmark
    public Instant parseJavaTime() {
        return OffsetDateTime.parse(text).toInstant();
    }

    @Benchmark
    public Instant parseFastWithOffset() {
        return EventTime.parse(withOffset);
    }

    @Benchmark
    public Instant parseJavaTimeWithOffset() {
        return OffsetDateTime.parse(withOffset).toInstant();
    }
}
