package dev.tandem.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.config.ConfigException;
import dev.tandem.server.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandem.yaml's destinations: every wrong value stops start-up with its line and what to do; ${ENV} is substituted. */
class DestinationConfigTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            destinations:
              - key: crm
                type: webhook
                owners: [it-integrations]
                settings: { url: "https://crm.example/hook", secret: "%s" }
                purposes: [analytics]
                events: "event in ['Order Completed', 'Signed Up']"
            """.formatted(WebhookDeliveryTest.SECRET);

    private Workspace load(String yaml) throws Exception {
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, yaml);
        return Workspace.load(file);
    }

    private String fails(String yaml) {
        return assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(ConfigException.class)
                .actual()
                .getMessage();
    }

    @Test
    void aGoodDestinationLoadsAndEnvironmentVariablesAreSubstituted() throws Exception {
        assertThat(load(GOOD)).isNotNull();
        String home = System.getenv("HOME");
        if (home != null) {
            Workspace w = load(GOOD.replace("https://crm.example/hook", "https://crm.example${HOME}"));
            assertThat(w).isNotNull();
        }
        assertThat(fails(GOOD.replace("https://crm.example/hook", "https://crm.example/${TANDEM_NO_SUCH_VARIABLE_42}")))
                .contains("line 5")
                .contains("TANDEM_NO_SUCH_VARIABLE_42 is not set");
    }

    @Test
    void wrongValuesNameTheirLineAndTheFix() {
        assertThat(fails(GOOD.replace("type: webhook", "type: carrier-pigeon")))
                .contains("line 3")
                .contains("unknown destination type 'carrier-pigeon'")
                .contains("[webhook, segment, file, kafka]");
        assertThat(fails(GOOD.replace(WebhookDeliveryTest.SECRET, "hunter2")))
                .contains("line 5")
                .contains("whsec_");
        assertThat(fails(GOOD.replace("https://crm.example/hook", "ftp://crm.example")))
                .contains("http or https URL");
        assertThat(fails(GOOD.replace("secret:", "secrt:"))).contains("unknown field 'secrt'");
        assertThat(fails(GOOD.replace("purposes: [analytics]", "purposes: [mind_reading]")))
                .contains("line 6")
                .contains("'mind_reading' is not a purpose of the catalog");
        assertThat(fails(GOOD.replace("    owners: [it-integrations]\n", ""))).contains("needs 'owners'");
        assertThat(fails(GOOD.replace("event in", "evnt in")))
                .contains("line 7")
                .contains("'evnt'");
        assertThat(fails(GOOD.replace("key: crm", "key: CRM Hook")))
                .contains("line 2")
                .contains("lower-case");
        assertThat(fails(GOOD + GOOD.substring(GOOD.indexOf("  - key")))).contains("used twice");
        assertThat(fails(GOOD + "    sla: { deliveredRatio: 1.5 }\n")).contains("between 0 and 1");
        assertThat(fails(GOOD + "    retryWindow: forever\n")).contains("positive duration");
        assertThat(fails(GOOD.replace("{ url: \"https://crm.example/hook\", ", "{ ")))
                .contains("needs the setting 'url'");
    }

    private static final String KAFKA = """
            destinations:
              - key: stream
                type: kafka
                owners: [data-platform]
                settings: { bootstrapServers: "kafka-1:9092, kafka-2:9092", topic: tandem.events }
                purposes: [analytics]
            """;

    @Test
    void aKafkaDestinationNeedsBrokersAndATopicAndConsistentCredentials() throws Exception {
        assertThat(load(KAFKA)).isNotNull();
        assertThat(fails(KAFKA.replace(", topic: tandem.events", "")))
                .contains("line 5")
                .contains("needs the setting 'topic'");
        assertThat(fails(KAFKA.replace("\"kafka-1:9092, kafka-2:9092\"", "\"\"")))
                .contains("line 5")
                .contains("'bootstrapServers' must be a non-empty text value");
        assertThat(fails(KAFKA.replace("kafka-2:9092", "kafka-2")))
                .contains("host:port")
                .contains("'kafka-2' is not one");
        assertThat(fails(KAFKA.replace("tandem.events", "\"tandem events\""))).contains("Kafka topic name");
        assertThat(fails(KAFKA.replace("topic: tandem.events", "topic: t, compression: brotli")))
                .contains("'compression' must be one of [none, gzip, snappy, lz4, zstd]");
        assertThat(fails(KAFKA.replace(
                        "topic: tandem.events", "topic: t, securityProtocol: SASL_SSL, username: tandem")))
                .contains("line 5")
                .contains("needs both 'username' and 'password'");
        assertThat(fails(KAFKA.replace("topic: tandem.events", "topic: t, username: tandem, password: s3cret")))
                .contains("only used with securityProtocol SASL_PLAINTEXT or SASL_SSL");
        assertThat(load(KAFKA.replace(
                        "topic: tandem.events",
                        "topic: t, securityProtocol: SASL_SSL, saslMechanism: SCRAM-SHA-512, username: tandem,"
                                + " password: s3cret")))
                .isNotNull();
    }

    @Test
    void aMappingIsCompiledAtLoadAndAWrongOneNamesTheDestinationAndTheField() throws Exception {
        String mapped = GOOD + "    mapping: { \"traits.tier\": \"event_count > 5 ? 'gold' : 'std'\" }\n";
        assertThat(load(mapped)).isNotNull();
        assertThat(fails(mapped.replace("event_count > 5 ? 'gold' : 'std'", "event_count >")))
                .contains("line 8")
                .contains("'crm'")
                .contains("'traits.tier'")
                .contains("error at line 1");
        assertThat(fails(mapped.replace("event_count > 5", "lifetime > 5")))
                .contains("'lifetime' is not something a destination's mapping can read");
        assertThat(fails(mapped.replace("traits.tier", "messageId")))
                .contains("cannot map 'messageId'")
                .contains("messageId, type, userId, anonymousId and timestamp are Tandem's");
        assertThat(fails(mapped.replace("traits.tier", "context.tandem.profileId")))
                .contains("cannot map 'context.tandem.profileId'");
        assertThat(fails(mapped.replace("traits.tier", "traits."))).contains("cannot map 'traits.'");
    }
}
