package dev.tandem.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The clock-skew rule and the hand-written ISO-8601 fast path, checked against java.time. */
class EventTimeTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void correctionKeepsTheIntervalTheClientMeasured() {
        Instant sentAt = Instant.parse("2026-11-23T15:00:00Z");
        Instant original = sentAt.minus(Duration.ofSeconds(30));
        assertThat(EventTime.corrected(RECEIVED, sentAt, original)).isEqualTo(RECEIVED.minusSeconds(30));
    }

    @Test
    void withoutSentAtTheClientTimeIsKeptUnlessItIsInTheFuture() {
        Instant past = Instant.parse("2020-01-01T00:00:00Z");
        assertThat(EventTime.corrected(RECEIVED, null, past)).isEqualTo(past);
        assertThat(EventTime.corrected(RECEIVED, null, RECEIVED.plusSeconds(60)))
                .isEqualTo(RECEIVED);
        assertThat(EventTime.corrected(RECEIVED, null, null)).isEqualTo(RECEIVED);
    }

    @Test
    void anEventStampedAfterItWasSentIsClampedToReceivedAt() {
        Instant sentAt = Instant.parse("2026-11-23T10:00:00Z");
        assertThat(EventTime.corrected(RECEIVED, sentAt, sentAt.plusSeconds(5))).isEqualTo(RECEIVED);
    }

    @Test
    void fastParserAgreesWithJavaTimeOnRandomTimestampsAndOffsets() {
        SplittableRandom random = new SplittableRandom(1);
        String[] patterns = {
            "yyyy-MM-dd'T'HH:mm:ssXXX",
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
            "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
            "yyyy-MM-dd'T'HH:mm:ss.SXX"
        };
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                    random.nextLong(-2_000_000_000L, 32_000_000_000L), random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4) * 900);
            DateTimeFormatter pattern = DateTimeFormatter.ofPattern(patterns[random.nextInt(patterns.length)]);
            String text = pattern.format(instant.atOffset(offset));
            assertThat(EventTime.parseCommon(text))
                    .as(text)
                    .isEqualTo(OffsetDateTime.parse(text, pattern).toInstant());
        }
    }

    @Test
    void formatWritesUtcWithExactlyThreeFractionDigits() {
        assertThat(EventTime.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(EventTime.format(Instant.parse("2026-01-02T03:04:05.123456Z")))
                .isEqualTo("2026-01-02T03:04:05.123Z");
    }

    @Test
    void impossibleDatesAndOtherShapesAreLeftToJavaTimeOrRefused() {
        assertThat(EventTime.parseCommon("2026-02-30T00:00:00Z")).isNull();
        assertThat(EventTime.parse("2026-02-30T00:00:00Z")).isNull();
        assertThat(EventTime.parse("2026-13-01T00:00:00Z")).isNull();
        assertThat(EventTime.parse("yesterday")).isNull();
        assertThat(EventTime.parse("2024-02-29")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        assertThat(EventTime.parse("2024-02-29T10:00:00")).isEqualTo(Instant.parse("2024-02-29T10:00:00Z"));
        assertThat(EventTime.parse("2024-02-29T10:00:00.5+0130")).isEqualTo(Instant.parse("2024-02-29T08:30:00.500Z"));
    }
}
