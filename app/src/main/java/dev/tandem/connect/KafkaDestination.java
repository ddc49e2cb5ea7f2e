package dev.tandem.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * One open {@code kafka} destination: its producer, made at the first batch (so a broker that
 * cannot be reached, or a name that does not resolve yet, is a retry and not a failed start) and
 * reused until {@link #close}; made again after an error that leaves it unusable. A batch is sent
 * record by record, flushed, and answered per record.
 */
final class KafkaDestination implements Connector {
    static final String ID_HEADER = "tandem-id";
    static final String BATCH_HEADER = "tandem-batch";

    private final Properties config;
    private final String topic;
    private final ObjectMapper mapper;
    private Producer<String, byte[]> producer;

    KafkaDestination(Properties config, String topic, ObjectMapper mapper) {
        this.config = config;
        this.topic = topic;
        this.mapper = mapper;
    }

    @Override
    public List<Outcome> deliver(DeliveryBatch batch) throws Exception {
        List<Delivery> items = batch.items();
        Producer<String, byte[]> p;
        try {
            p = producer();
        } catch (KafkaException e) {
            return KafkaOutcomes.all(items.size(), KafkaOutcomes.unusable("could not make the producer", e));
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(items.size());
        Outcome unsent = null;
        try {
            for (Delivery d : items) {
                Future<RecordMetadata> f = p.send(record(d, batch.id()));
                sent.add(f);
                // a topic whose metadata did not come within the timeout fails at once; the rest of the
                // batch would wait as long again, each, so it is answered alike without being sent
                if (f.isDone() && KafkaOutcomes.of(f) instanceof Outcome.Retry retry) {
                    unsent = retry;
                    break;
                }
            }
            p.flush();
        } catch (InterruptException e) {
            throw new InterruptedException("interrupted while sending to Kafka");
        } catch (KafkaException | IllegalStateException e) {
            reset();
            unsent = KafkaOutcomes.unusable("the producer failed", e);
        }
        List<Outcome> outcomes = new ArrayList<>(items.size());
        boolean reset = false;
        for (Future<RecordMetadata> f : sent) {
            Outcome o = KafkaOutcomes.of(f);
            reset |= KafkaOutcomes.leavesProducerUnusable(f);
            outcomes.add(o);
        }
        while (outcomes.size() < items.size()) {
            outcomes.add(unsent);
        }
        if (reset) {
            reset();
        }
        return inProfileOrder(items, outcomes);
    }

    /**
     * Once one of a profile's messages is to be tried again, its later ones in the batch are too,
     * even those Kafka took: sent again after it, in order, they arrive twice with the same
     * {@code tandem-id} rather than out of order.
     */
    private static List<Outcome> inProfileOrder(List<Delivery> items, List<Outcome> outcomes) {
        Set<Long> waiting = new HashSet<>();
        List<Outcome> out = new ArrayList<>(outcomes.size());
        for (int i = 0; i < items.size(); i++) {
            long profile = items.get(i).profileId();
            Outcome o = outcomes.get(i);
            if (waiting.contains(profile) && !(o instanceof Outcome.Retry)) {
                o = new Outcome.Retry(
                        null,
                        "an earlier message of this profile is to be tried again; this one goes again after it",
                        o.response());
            }
            if (o instanceof Outcome.Retry) {
                waiting.add(profile);
            }
            out.add(o);
        }
        return out;
    }

    private ProducerRecord<String, byte[]> record(Delivery d, String batchId) throws Exception {
        JsonNode id = d.message().path("context").path("tandem").path("profileId");
        String key = id.isMissingNode() || id.isNull() ? Long.toString(d.profileId()) : id.asText();
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, mapper.writeValueAsBytes(d.message()));
        r.headers().add(ID_HEADER, d.id().getBytes(StandardCharsets.UTF_8));
        r.headers().add(BATCH_HEADER, batchId.getBytes(StandardCharsets.UTF_8));
        r.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    private void reset() {
        if (producer != null) {
            Producer<String, byte[]> old = producer;
            producer = null;
            old.close(java.time.Duration.ZERO);
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }
}
