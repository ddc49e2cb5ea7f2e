package dev.tandem.connect;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code kafka}: writes each message as one record to a topic, keyed by the Tandem profile id
 * ({@code context.tandem.profileId}), so a profile's messages share a partition and keep their
 * order; the value is the Segment-spec JSON the other connectors send, and the header
 * {@code tandem-id} carries the item's idempotency key. The producer is idempotent
 * ({@code acks=all}, {@code enable.idempotence}, at most 5 requests in flight, which keeps order
 * per partition), one per destination, opened at the first batch and reused until the server stops.
 */
public final class KafkaConnector implements ConnectorType {
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    /** How long the producer gathers records into one request; small, since Tandem batches already. */
    static final int LINGER_MS = 5;

    static final SettingSpec<String> BOOTSTRAP_SERVERS = new SettingSpec<>(
            "bootstrapServers",
            SettingSpec.Kind.TEXT,
            null,
            "the brokers to reach first, host:port separated by commas, such as kafka-1:9092,kafka-2:9092",
            n -> {
                String text = n.text("'bootstrapServers'");
                for (String server : text.split(",", -1)) {
                    if (!HOST_PORT.matcher(server.trim()).matches()) {
                        throw n.error("'bootstrapServers' must list host:port entries separated by commas, such as"
                                + " kafka-1:9092,kafka-2:9092; '" + server.trim() + "' is not one.");
                    }
                }
                return text.replace(" ", "");
            });
    static final SettingSpec<String> TOPIC = new SettingSpec<>(
            "topic", SettingSpec.Kind.TEXT, null, "the topic to write to, created beforehand (or by the broker)", n -> {
                String topic = n.text("'topic'");
                if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                    throw n.error("'topic' must be a Kafka topic name: letters, digits, '.', '_' and '-', at most"
                            + " 249, such as tandem.events; '" + topic + "' is not one.");
                }
                return topic;
            });
    static final SettingSpec<String> COMPRESSION = SettingSpec.choice(
            "compression",
            "none",
            List.of("none", "gzip", "snappy", "lz4", "zstd"),
            "how record batches are compressed");
    static final SettingSpec<Duration> TIMEOUT = SettingSpec.duration(
            "timeout",
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            "how long a batch may take to be acknowledged by every in-sync replica, and to find the topic");
    static final SettingSpec<Integer> MAX_BATCH =
            SettingSpec.integer("maxBatch", 500, 1, 10_000, "messages handed to the producer and flushed together");
    static final SettingSpec<String> SECURITY = SettingSpec.choice(
            "securityProtocol",
            "PLAINTEXT",
            List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
            "how to talk to the brokers; SSL trusts the certificates the JDK trusts");
    static final SettingSpec<String> SASL_MECHANISM = SettingSpec.choice(
            "saslMechanism",
            "PLAIN",
            List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
            "the SASL mechanism, with securityProtocol SASL_PLAINTEXT or SASL_SSL");
    static final SettingSpec<Optional<String>> USERNAME = new SettingSpec<>(
            "username",
            SettingSpec.Kind.TEXT,
            Optional.empty(),
            "the SASL user name",
            n -> Optional.of(n.text("'username'")));
    static final SettingSpec<Optional<String>> PASSWORD = new SettingSpec<>(
            "password",
            SettingSpec.Kind.SECRET,
            Optional.empty(),
            "the SASL password, best as ${NAME} from the environment",
            n -> Optional.of(n.text("'password'")));

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "writes each message to a Kafka topic, keyed by profile id, with an idempotent producer";
    }

    @Override
    public List<SettingSpec<?>> settings() {
        return List.of(
                BOOTSTRAP_SERVERS,
                TOPIC,
                COMPRESSION,
                TIMEOUT,
                MAX_BATCH,
                SECURITY,
                SASL_MECHANISM,
                USERNAME,
                PASSWORD);
    }

    @Override
    public DeliveryStyle style(Settings settings) {
        return DeliveryStyle.upTo(settings.get(MAX_BATCH));
    }

    @Override
    public Optional<String> problem(Settings settings) {
        boolean sasl = settings.get(SECURITY).startsWith("SASL_");
        boolean credentials =
                settings.get(USERNAME).isPresent() || settings.get(PASSWORD).isPresent();
        if (sasl && (settings.get(USERNAME).isEmpty() || settings.get(PASSWORD).isEmpty())) {
            return Optional.of("securityProtocol " + settings.get(SECURITY)
                    + " needs both 'username' and 'password' (the password best as ${NAME} from the environment).");
        }
        if (!sasl && credentials) {
            return Optional.of("'username' and 'password' are only used with securityProtocol SASL_PLAINTEXT or"
                    + " SASL_SSL; set one of those, or remove them.");
        }
        return Optional.empty();
    }

    @Override
    public Connector open(Settings settings, ConnectorContext context) {
        return new KafkaDestination(
                producerConfig(settings, context.destination()), settings.get(TOPIC), context.mapper());
    }

    /** The producer's configuration: idempotent, every in-sync replica acknowledges, order kept per partition. */
    static Properties producerConfig(Settings settings, String destination) {
        long timeout = settings.get(TIMEOUT).toMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(BOOTSTRAP_SERVERS));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tandem-" + destination);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // idempotence keeps the order within a partition with up to 5 requests in flight
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.get(COMPRESSION));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(LINGER_MS));
        // the producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout - LINGER_MS));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String security = settings.get(SECURITY);
        p.put("security.protocol", security);
        if (security.startsWith("SASL_")) {
            String mechanism = settings.get(SASL_MECHANISM);
            String module = mechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.mechanism", mechanism);
            p.put(
                    "sasl.jaas.config",
                    module + " required username=\""
                            + quoted(settings.get(USERNAME).orElseThrow()) + "\" password=\""
                            + quoted(settings.get(PASSWORD).orElseThrow()) + "\";");
        }
        return p;
    }

    /** Inside a JAAS string, a backslash and a double quote are escaped with a backslash. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
