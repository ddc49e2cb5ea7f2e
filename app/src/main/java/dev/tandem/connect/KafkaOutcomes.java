package dev.tandem.connect;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.BrokerNotAvailableException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownProducerIdException;

/**
 * How a Kafka send becomes an {@link Outcome}: acknowledged is delivered (with partition and
 * offset); a retriable error (a timeout, not enough in-sync replicas, no leader, a broker that
 * cannot be reached) is tried again; an error of the record or of the rights (record too large,
 * not authorized, an invalid topic) is rejected with Kafka's reason. An error of the idempotent
 * producer's own state is tried again with a new producer: the record itself was not refused.
 */
final class KafkaOutcomes {
    private KafkaOutcomes() {}

    static Outcome of(Future<RecordMetadata> sent) {
        if (!sent.isDone()) {
            return new Outcome.Retry(null, "Kafka did not acknowledge it before the producer was closed", "");
        }
        try {
            RecordMetadata m = sent.get();
            return new Outcome.Delivered("partition " + m.partition() + " offset " + m.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Retry(null, "the server was stopping", "");
        } catch (ExecutionException e) {
            return of(cause(e));
        }
    }

    static Outcome of(Throwable e) {
        String said = e.getClass().getSimpleName() + ": " + e.getMessage();
        // Kafka does not class BrokerNotAvailableException as retriable, yet a broker that is down is passing
        if (e instanceof RetriableException || e instanceof BrokerNotAvailableException || producerState(e)) {
            return new Outcome.Retry(null, "Kafka answered " + said, said);
        }
        if (e instanceof ApiException) {
            return new Outcome.Rejected("Kafka refused it: " + said, said);
        }
        return unusable("the producer failed", e);
    }

    /** The producer cannot go on (closed, or in a fatal state): a new one is made for the next batch. */
    static boolean leavesProducerUnusable(Future<RecordMetadata> sent) {
        if (!sent.isDone()) {
            return true;
        }
        try {
            sent.get();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            Throwable cause = cause(e);
            return producerState(cause) || !(cause instanceof ApiException);
        }
    }

    static Outcome unusable(String what, Throwable e) {
        return new Outcome.Retry(null, what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), "");
    }

    static List<Outcome> all(int n, Outcome o) {
        return Collections.nCopies(n, o);
    }

    private static boolean producerState(Throwable e) {
        return e instanceof OutOfOrderSequenceException
                || e instanceof InvalidProducerEpochException
                || e instanceof UnknownProducerIdException
                || e instanceof ProducerFencedException;
    }

    private static Throwable cause(ExecutionException e) {
        return e.getCause() == null ? e : e.getCause();
    }
}
