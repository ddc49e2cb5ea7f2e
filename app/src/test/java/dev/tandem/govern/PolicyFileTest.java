package dev.tandem.govern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.ConfigException;
import dev.tandem.config.Json;
import dev.tandem.server.Workspace;
import dev.tandem.testing.Cli;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies written by IT: obligations give exactly the payload expected, decisions explain themselves, broken files name the spot. */
class PolicyFileTest {
    private static final String RULES = """
            pack: none
            rules:
              - id: no-data-to-china
                when: flow.region == "cn"
                effect: deny
                reason: No customer data leaves for this region.
              - id: mask-names
                fields: field.name in ["firstname", "lastname"]
                effect: mask
                reason: Names are masked.
              - id: hash-email
                fields: field.name == "email"
                effect: hash
                reason: Emails are hashed.
              - id: month-of-birth
                fields: field.name == "birthday"
                effect: coarsen
                to: month
                reason: Birth month is enough.
              - id: city-level-location
                fields: field.path.startsWith("context.location.")
                effect: coarsen
                to: "1"
                reason: Locations to about 10 km.
              - id: short-ip
                fields: field.name == "ip"
                effect: truncate_ip
                reason: Networks, not hosts.
              - id: no-notes
                fields: field.path == "properties.note"
                effect: drop
                reason: Free text may hold anything.
              - id: hash-beats-mask
                fields: field.name == "lastname"
                effect: hash
                reason: Surnames are hashed where both apply.
            """;
    private static final String PAYLOAD = """
            {"type": "track", "event": "Signed Up", "userId": "u-9",
             "properties": {"note": "call me", "plan": "pro", "amount": 12.5},
             "traits": {"firstName": "Ann", "lastName": "Lee", "email": "ANN@example.com ", "birthday": "1990-05-17"},
             "context": {"ip": "2001:db8:85a3:8d3:1319:8a2e:370:7348", "location": {"latitude": 48.85661, "longitude": 2.35222}}}""";
    private static final String EXPECTED = """
            {"type": "track", "event": "Signed Up", "userId": "u-9",
             "properties": {"plan": "pro", "amount": 12.5},
             "traits": {"firstName": "A***", "lastName": "%s", "email": "%s", "birthday": "1990-05"},
             "context": {"ip": "2001:db8:85a3::", "location": {"latitude": 48.9, "longitude": 2.4}}}""";

    @TempDir
    Path dir;

    @Test
    void obligationsGiveExactlyTheExpectedPayload() throws Exception {
        try (TestServer server = TestServer.withWorkspace(StoreKind.SQLITE, dir, "policies:\n" + RULES.indent(2))) {
            JsonNode d = server.adminSend(
                            "POST",
                            "/v1/admin/policy/check",
                            "{\"flow\": {\"kind\": \"destination\", \"name\": \"crm\", \"purposes\": [\"sales\"]}, \"payload\": "
                                    + PAYLOAD + "}")
                    .json();
            assertThat(d.path("decision").asText()).isEqualTo("allow_with");
            ObjectMapper mapper = Json.mapper();
            JsonNode expected = mapper.readTree(
                    EXPECTED.formatted(ConsentAndGateTest.sha256("Lee"), ConsentAndGateTest.sha256("ann@example.com")));
            assertThat(d.path("payload")).isEqualTo(expected);
            assertThat(d.path("reasons").toString())
                    .contains(
                            "\"rule\":\"no-notes\"",
                            "\"fields\":[\"properties.note\"]",
                            "\"rule\":\"hash-beats-mask\"",
                            "\"fields\":[\"traits.lastName\"]",
                            "Birth month is enough.");

            JsonNode denied = server.adminSend(
                            "POST",
                            "/v1/admin/policy/check",
                            "{\"flow\": {\"kind\": \"destination\", \"purposes\": [\"sales\"], \"region\": \"cn\"}, \"payload\": "
                                    + PAYLOAD + "}")
                    .json();
            assertThat(denied.path("decision").asText()).isEqualTo("deny");
            assertThat(denied.path("reasons").get(0).path("reason").asText())
                    .isEqualTo("No customer data leaves for this region.");
        }
    }

    @Test
    void policyTestShowsEachDecisionAndChecksExpectations() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, RULES + """
                examples:
                  - name: crm in the EU
                    flow: {kind: destination, name: crm, purposes: [sales], region: eu}
                    payload: {traits: {email: "ann@example.com", plan: pro}}
                    expect: allow_with
                  - name: crm in China
                    flow: {kind: destination, name: crm, purposes: [sales], region: cn}
                    expect: deny
                  - name: nothing personal
                    flow: {kind: export, name: sizes, purposes: [analytics]}
                    payload: {properties: {count: 3}}
                    expect: deny
                """);
        Cli.Result run = Cli.run("policy", "test", file.toString());
        assertThat(run.out())
                .contains(
                        "crm in the EU: allow_with  (as expected)",
                        "hash-email (hash) on traits.email: Emails are hashed.",
                        "\"email\":\"" + ConsentAndGateTest.sha256("ann@example.com") + "\"",
                        "crm in China: deny  (as expected)",
                        "no-data-to-china (deny): No customer data leaves for this region.",
                        "nothing personal: allow  FAILED: expected deny",
                        "3 examples, 2 as expected, 1 not.");
        assertThat(run.code()).isEqualTo(1);
    }

    @Test
    void aBrokenPolicyIsRefusedWithItsPosition() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, """
                rules:
                  - id: ok-rule
                    fields: field.class == "personal"
                    effect: mask
                    reason: fine
                  - id: broken-rule
                    when: flow.purposes.exists(p, p ==)
                    effect: deny
                    reason: never compiles
                examples: []
                """);
        Cli.Result run = Cli.run("policy", "test", file.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .contains("broken.yaml line 7", "/rules/1/when", "policy condition has an error at line 1, column");

        Path workspace = dir.resolve("tandem.yaml");
        Files.writeString(workspace, """
                policies:
                  rules:
                    - id: unknown-variable
                      when: customer.vip
                      effect: deny
                      reason: typo
                """);
        assertThatThrownBy(() -> Workspace.load(workspace))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("column 1")
                .hasMessageContaining("'customer' is not something");
        Files.writeString(workspace, """
                policies:
                  rules:
                    - id: no-fields
                      effect: hash
                      reason: what to hash?
                """);
        assertThatThrownBy(() -> Workspace.load(workspace))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("no 'fields'");
    }
}
