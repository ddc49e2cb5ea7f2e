package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.junit.jupiter.api.Test;

/**
 * Kafka's errors, as the producer reports them, become outcomes as docs/destinations.md lists
 * them: what may pass is retried, what the record or the rights cause is rejected with Kafka's
 * reason (the real broker's tests cover an acknowledged record, a record too large and a broker
 * that is down).
 */
class KafkaOutcomesTest {
    @Test
    void passingErrorsAreRetriedAndTheRecordsOwnAreRejectedWithTheReason() {
        assertThat(KafkaOutcomes.of(new TimeoutException("Expiring 3 record(s) after 30005 ms")))
                .isInstanceOfSatisfying(
                        Outcome.Retry.class,
                        r -> assertThat(r.reason()).contains("TimeoutException").contains("Expiring 3 record(s)"));
        assertThat(KafkaOutcomes.of(new NotEnoughReplicasException("2 of 3"))).isInstanceOf(Outcome.Retry.class);
        assertThat(KafkaOutcomes.of(new NotLeaderOrFollowerException("moved"))).isInstanceOf(Outcome.Retry.class);
        assertThat(KafkaOutcomes.of(new NetworkException("disconnected"))).isInstanceOf(Outcome.Retry.class);
        assertThat(KafkaOutcomes.of(new BrokerNotAvailableException("down"))).isInstanceOf(Outcome.Retry.class);
        assertThat(KafkaOutcomes.of(new OutOfOrderSequenceException("gap"))).isInstanceOf(Outcome.Retry.class);
        assertThat(KafkaOutcomes.of(new UnknownProducerIdException("expired"))).isInstanceOf(Outcome.Retry.class);

        assertThat(KafkaOutcomes.of(new RecordTooLargeException("1048577 bytes")))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class,
                        r -> assertThat(r.reason())
                                .isEqualTo("Kafka refused it: RecordTooLargeException: 1048577 bytes"));
        assertThat(KafkaOutcomes.of(new TopicAuthorizationException("Not authorized to access topics: [t]")))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.reason()).contains("Not authorized"));
        assertThat(KafkaOutcomes.of(new SaslAuthenticationException("bad password")))
                .isInstanceOf(Outcome.Rejected.class);
        assertThat(KafkaOutcomes.of(new InvalidTopicException("bad name"))).isInstanceOf(Outcome.Rejected.class);
        assertThat(KafkaOutcomes.of(
                        new IllegalStateException("Cannot perform operation after producer has been closed")))
                .isInstanceOfSatisfying(
                        Outcome.Retry.class, r -> assertThat(r.reason()).contains("the producer failed"));
    }
}
