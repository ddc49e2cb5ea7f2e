package dev.tandem.audit;

import static dev.tandem.testing.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.Json;
import dev.tandem.testing.Cli;
import dev.tandem.testing.ServerPerTest;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestClock;
import dev.tandem.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The audit trail through its public surface: what admin changes and privacy requests leave in it,
 * {@code verify} after the rows are edited, removed or swapped in the database directly (it names
 * exactly the first bad entry), a chain rewritten hashes and all against a signed checkpoint, the
 * checkpoint's signature checked with the JDK's own Ed25519, and {@code tandem audit verify}.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AuditTrailTest extends ServerPerTest {
    private static final ObjectMapper MAPPER = Json.mapper();

    private final StoreKind store;

    AuditTrailTest(StoreKind store) {
        super(store);
        this.store = store;
    }

    @Test
    void adminChangesAndPrivacyRequestsAreRecordedWithTheirActorAndTheLogVerifies() {
        assertThat(server.adminSend("POST", "/v1/admin/tokens", "{\"name\": \"auditor\", \"scopes\": [\"audit:read\"]}")
                        .status())
                .isEqualTo(201);
        String id = UUID.randomUUID().toString();
        assertThat(server.adminSend("POST", "/opendsr/requests", """
                        {"subject_request_id": "%s", "subject_request_type": "erasure",
                         "subject_identities": [{"identity_type": "email", "identity_value": "ann@example.com", "identity_format": "raw"}]}""".formatted(id))
                        .status())
                .isEqualTo(201);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> kinds(entries("/v1/audit")).contains("privacy.completed"));
        assertThat(server.adminSend("DELETE", "/v1/admin/tokens/auditor", null).status())
                .isEqualTo(204);
        // a refused change leaves no entry
        assertThat(server.adminSend("DELETE", "/v1/admin/tokens/nobody", null).status())
                .isEqualTo(404);

        List<JsonNode> all = entries("/v1/audit");
        // the request's completion runs on the scheduler: it may be recorded before or after the route's own entry
        assertThat(kinds(all.subList(0, 3))).containsExactly("tandem.started", "admin.change", "privacy.requested");
        assertThat(kinds(all.subList(3, 5))).containsExactlyInAnyOrder("admin.change", "privacy.completed");
        assertThat(all.get(5).path("kind").asText()).isEqualTo("admin.change");
        assertThat(all.get(1).path("actor").asText()).isEqualTo("admin");
        assertThat(all.get(1).path("object").asText()).isEqualTo("/v1/admin/tokens");
        assertThat(all.get(1).path("detail").path("route").asText()).isEqualTo("POST /v1/admin/tokens");
        assertThat(all.get(2).path("object").asText()).isEqualTo("privacy_request:" + id);
        assertThat(all.get(2).path("detail").path("type").asText()).isEqualTo("erasure");
        assertThat(all.stream()
                        .filter(e -> e.path("kind").asText().equals("privacy.completed"))
                        .map(e -> e.path("actor").asText()))
                .containsExactly("system");
        assertThat(all.get(5).path("object").asText()).isEqualTo("/v1/admin/tokens/auditor");
        // no personal value reaches the log: the request's identity is not in it
        assertThat(server.admin("/v1/audit").body()).doesNotContainIgnoringCase("ann@example.com");

        JsonNode verdict = server.admin("/v1/audit/verify").json();
        assertThat(verdict.path("valid").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.path("entries").asLong()).isEqualTo(6);
        assertThat(verdict.path("firstInvalid").isNull()).isTrue();

        // filters and paging
        assertThat(entries("/v1/audit?kind=admin.change")).hasSize(3);
        assertThat(entries("/v1/audit?object=privacy_request:" + id)).hasSize(2);
        assertThat(entries("/v1/audit?actor=system")).hasSize(2);
        JsonNode first = server.admin("/v1/audit?limit=2").json();
        assertThat(first.path("entries")).hasSize(2);
        JsonNode second = server.admin(
                        "/v1/audit?limit=2&after=" + first.path("next").asText())
                .json();
        assertThat(second.path("entries").get(0).path("id").asLong()).isEqualTo(3);
        assertThat(entries("/v1/audit?since=2999-01-01T00:00:00Z")).isEmpty();
    }

    @Test
    void concurrentChangesEachLeaveOneEntryAndTheChainHolds() throws Exception {
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int caller = c;
            callers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    server.adminSend(
                            "POST",
                            "/v1/admin/tokens",
                            "{\"name\": \"c" + caller + "-" + i + "\", \"scopes\": [\"profiles:read\"]}");
                }
            }));
        }
        for (Thread c : callers) {
            c.join();
        }
        JsonNode v = server.admin("/v1/audit/verify").json();
        assertThat(v.path("valid").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.path("entries").asLong()).isEqualTo(81);
        assertThat(entries("/v1/audit?kind=admin.change&limit=1000"))
                .extracting(e -> e.path("object").asText())
                .containsOnly("/v1/admin/tokens")
                .hasSize(80);
    }

    @Test
    void anEntryEditedInTheDatabaseIsNamed() {
        makeEntries(6);
        jdbi().useHandle(h -> h.execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = 4"));
        assertFirstInvalid(4);
    }

    @Test
    void anEntryRemovedFromTheDatabaseIsNamed() {
        makeEntries(6);
        jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE id = 3"));
        assertFirstInvalid(3);
    }

    @Test
    void twoEntriesSwappedInTheDatabaseAreNamedByTheFirst() {
        makeEntries(6);
        jdbi().useHandle(h -> {
            h.execute("UPDATE audit_log SET id = -1 WHERE id = 2");
            h.execute("UPDATE audit_log SET id = 2 WHERE id = 5");
            h.execute("UPDATE audit_log SET id = 5 WHERE id = -1");
        });
        assertFirstInvalid(2);
    }

    @Test
    void aChainRewrittenHashesAndAllOrCutShortIsCaughtByItsSignedCheckpoint() throws Exception {
        makeEntries(6);
        JsonNode checkpoint = server.admin("/v1/audit/checkpoint").json();
        long size = checkpoint.path("size").asLong();
        assertThat(size).isEqualTo(7);
        assertThat(signatureVerifiesWithTheJdk(checkpoint)).isTrue();
        // the one just signed, and any the start-up job signed before it
        assertThat(server.admin("/v1/audit/verify").json().path("checkpoints").asInt())
                .isBetween(1, 2);

        // someone with write access edits entry 3 and recomputes every hash after it, by the documented recipe
        rewriteFrom(3, "someone-else");
        JsonNode rewritten = server.admin("/v1/audit/verify").json();
        assertThat(rewritten.path("valid").asBoolean()).isFalse();
        assertThat(rewritten.path("reason").asText()).contains("were rewritten");

        // and deletes the stored checkpoint too: the exported copy still catches it, by the CLI
        jdbi().useHandle(h -> h.execute("DELETE FROM audit_checkpoints"));
        assertThat(server.admin("/v1/audit/verify").json().path("valid").asBoolean())
                .isTrue();
        Path file = dir.resolve("checkpoint.json");
        Files.writeString(file, checkpoint.toString());
        Cli.Result kept = cli("verify", "--checkpoint", file.toString());
        assertThat(kept.code()).as(kept.out() + kept.err()).isEqualTo(1);
        assertThat(kept.out()).contains("INVALID").contains("were rewritten");
    }

    @Test
    void verifySaysHowMuchSignedCheckpointsCoverAndALogWithoutAnyTurnsInvalidWhenOneIsOverdue() throws Exception {
        TestClock clock = TestClock.standard();
        server.close();
        server = TestServer.start(store, dir.resolve("clocked"), clock, Map.of());
        makeEntries(3);
        // the first entry signed a checkpoint: a log is anchored from its start
        JsonNode first = server.admin("/v1/audit/verify").json();
        assertThat(first.path("checkpoints").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(first.path("checkpointed").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(first.path("checkpointed").asLong()
                        + first.path("unanchored").asLong())
                .isEqualTo(first.path("entries").asLong());

        long size = server.admin("/v1/audit/checkpoint").json().path("size").asLong();
        for (String name : List.of("late1", "late2")) {
            server.adminSend("POST", "/v1/admin/tokens", "{\"name\": \"" + name + "\", \"scopes\": [\"audit:read\"]}");
        }
        JsonNode honest = server.admin("/v1/audit/verify").json();
        assertThat(honest.path("valid").asBoolean()).isTrue();
        assertThat(honest.path("entries").asLong()).isEqualTo(size + 2);
        assertThat(honest.path("checkpointed").asLong()).isEqualTo(size);
        assertThat(honest.path("unanchored").asLong()).isEqualTo(2);
        Cli.Result said = cli("verify");
        assertThat(said.code()).isZero();
        assertThat(said.out())
                .contains("entries 1 to " + size + " are covered by a signed checkpoint")
                .contains("the 2 after them only by their hashes");

        // someone who can write the database deletes every checkpoint and rewrites the whole chain
        jdbi().useHandle(h -> h.execute("DELETE FROM audit_checkpoints"));
        rewriteFrom(1, "someone-else");
        JsonNode young = server.admin("/v1/audit/verify").json();
        assertThat(young.path("checkpointed").asLong()).isZero();
        assertThat(young.path("unanchored").asLong()).isEqualTo(size + 2);
        // once a checkpoint is overdue, the missing ones make the log invalid, and the job does not sign it
        clock.advance(Duration.ofMinutes(21));
        JsonNode overdue = server.admin("/v1/audit/verify").json();
        assertThat(overdue.path("valid").asBoolean()).as(overdue.toString()).isFalse();
        assertThat(overdue.path("firstInvalid").isNull()).isTrue();
        assertThat(overdue.path("checkpointed").asLong()).isZero();
        assertThat(overdue.path("reason").asText())
                .contains("entries 1 to " + (size + 2))
                .contains("no signed checkpoint covers them (the log has none)")
                .contains("tandem audit checkpoint");
        Cli.Result refused = cli("verify");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("INVALID").contains("no signed checkpoint covers them");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> server.admin("/v1/admin/jobs")
                                .json()
                                .path("failing")
                                .toString(),
                        s -> s.contains("audit.checkpoint") && s.contains("checkpoints were deleted"));
        assertThat(server.admin("/v1/audit/verify").json().path("checkpoints").asInt())
                .isZero();

        // signing one by hand signs the head this server appended, not the rewritten rows: the rewrite shows
        assertThat(server.admin("/v1/audit/checkpoint").status()).isEqualTo(200);
        JsonNode signed = server.admin("/v1/audit/verify").json();
        assertThat(signed.path("valid").asBoolean()).as(signed.toString()).isFalse();
        assertThat(signed.path("reason").asText()).contains("were rewritten");
    }

    @Test
    void entriesRemovedFromTheEndAreCaughtByTheCheckpoint() {
        makeEntries(4);
        long size = server.admin("/v1/audit/checkpoint").json().path("size").asLong();
        jdbi().useHandle(h -> h.createUpdate("DELETE FROM audit_log WHERE id = :id")
                .bind("id", size)
                .execute());
        assertFirstInvalid(size);
    }

    @Test
    void theCliVerifiesExportsAndRefusesAnAlteredCheckpoint() throws Exception {
        makeEntries(3);
        Path file = dir.resolve("kept.json");
        Cli.Result exported = cli("checkpoint", "--out", file.toString());
        assertThat(exported.code()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("checkpoint of 4 entries written to");
        Cli.Result ok = cli("verify", "--checkpoint", file.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("valid: 4 entries");
        Cli.Result listed = cli("list", "--kind", "admin.change");
        assertThat(listed.out()).contains("admin.change").contains("/v1/admin/tokens");

        ObjectNode altered = (ObjectNode) MAPPER.readTree(Files.readString(file));
        altered.put("size", 3);
        Files.writeString(file, altered.toString());
        Cli.Result refused = cli("verify", "--checkpoint", file.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("does not carry a valid Ed25519 signature");

        jdbi().useHandle(h -> h.execute("UPDATE audit_log SET detail = '{\"route\":\"GET /nothing\"}' WHERE id = 2"));
        Cli.Result tampered = cli("verify");
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.out()).contains("first bad entry 2");
    }

    @Test
    void theRoutesRefuseCallersWithoutTheScopeAndBadInput() {
        String other = server.adminSend(
                        "POST", "/v1/admin/tokens", "{\"name\": \"reader\", \"scopes\": [\"profiles:read\"]}")
                .json()
                .path("token")
                .asText();
        String auditor = server.adminSend(
                        "POST", "/v1/admin/tokens", "{\"name\": \"auditor\", \"scopes\": [\"audit:read\"]}")
                .json()
                .path("token")
                .asText();
        for (String path : List.of("/v1/audit", "/v1/audit/verify", "/v1/audit/checkpoint")) {
            assertError(server.http().get(path), 401, "missing_token");
            assertError(server.http().get(path, "Authorization", "Bearer " + other), 403, "missing_scope");
            assertError(server.http().get(path, "Authorization", "Bearer nonsense"), 401, "invalid_token");
            assertError(server.http().get(path, "Authorization", TestServer.WRITE_KEY), 401, "missing_token");
            assertThat(server.http()
                            .get(path, "Authorization", "Bearer " + auditor)
                            .status())
                    .isEqualTo(200);
        }
        assertError(server.admin("/v1/audit?kind=token.stolen"), 400, "invalid_kind");
        assertError(server.admin("/v1/audit?since=yesterday"), 400, "invalid_since");
        assertError(server.admin("/v1/audit?until=" + "9".repeat(100)), 400, "invalid_until");
        assertError(server.admin("/v1/audit?limit=0"), 400, "invalid_limit");
        assertError(server.admin("/v1/audit?limit=100000"), 400, "invalid_limit");
        assertError(server.admin("/v1/audit?after=-5"), 400, "invalid_cursor");
        assertError(server.admin("/v1/audit?actor=" + "a".repeat(500)), 400, "invalid_actor");
        assertError(server.admin("/v1/audit/verify?size=3"), 400, "invalid_checkpoint");
        assertError(server.admin("/v1/audit/verify?size=x&root=" + "0".repeat(64)), 400, "invalid_checkpoint");
        assertError(server.admin("/v1/audit/verify?size=3&root=ZZ"), 400, "invalid_checkpoint");
        // the token reads the log but changes nothing: the log holds the admin's entries only
        assertThat(entries("/v1/audit?actor=token:auditor")).isEmpty();
    }

    private void makeEntries(int changes) {
        for (int i = 0; i < changes; i++) {
            assertThat(server.adminSend(
                                    "POST",
                                    "/v1/admin/tokens",
                                    "{\"name\": \"t" + i + "\", \"scopes\": [\"profiles:read\"]}")
                            .status())
                    .isEqualTo(201);
        }
        assertThat(server.admin("/v1/audit/verify").json().path("valid").asBoolean())
                .isTrue();
    }

    private void assertFirstInvalid(long id) {
        JsonNode v = server.admin("/v1/audit/verify").json();
        assertThat(v.path("valid").asBoolean()).as(v.toString()).isFalse();
        assertThat(v.path("firstInvalid").asLong()).as(v.toString()).isEqualTo(id);
        assertThat(v.path("reason").asText()).contains("entry " + id);
    }

    /**
     * Recomputes the hashes from entry {@code from} on, after changing its actor, by the recipe of
     * docs/audit.md; the same recipe first reproduces every stored hash before it.
     */
    private void rewriteFrom(long from, String actor) throws Exception {
        List<JsonNode> all = entries("/v1/audit?limit=1000");
        String previous = "0".repeat(64);
        for (JsonNode e : all.subList(0, (int) from - 1)) {
            previous = recipe(previous, e, e.path("actor").asText());
            assertThat(previous).isEqualTo(e.path("hash").asText());
        }
        for (JsonNode e : all.subList((int) from - 1, all.size())) {
            long id = e.path("id").asLong();
            String who = id == from ? actor : e.path("actor").asText();
            String hash = recipe(previous, e, who);
            jdbi().useHandle(h -> h.createUpdate("UPDATE audit_log SET actor = :a, hash = :h WHERE id = :id")
                    .bind("a", who)
                    .bind("h", hash)
                    .bind("id", id)
                    .execute());
            previous = hash;
        }
    }

    private String recipe(String previous, JsonNode e, String actor) throws Exception {
        long at = jdbi().withHandle(h -> h.createQuery("SELECT at FROM audit_log WHERE id = :id")
                .bind("id", e.path("id").asLong())
                .mapTo(Long.class)
                .one());
        ObjectNode canonical = MAPPER.createObjectNode();
        canonical.put("actor", actor);
        canonical.put("at", at);
        canonical.set("detail", e.path("detail"));
        canonical.put("id", e.path("id").asLong());
        canonical.put("kind", e.path("kind").asText());
        canonical.put("object", e.path("object").asText());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((previous + "\n").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of()
                .formatHex(sha256.digest(MAPPER.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean signatureVerifiesWithTheJdk(JsonNode checkpoint) throws Exception {
        byte[] raw = Base64.getDecoder().decode(checkpoint.path("publicKey").asText());
        // an Ed25519 public key as X.509 SubjectPublicKeyInfo: a fixed 12-byte header, then the 32 raw bytes
        byte[] spki = HexFormat.of()
                .parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
        verifier.update(
                ("tandem-audit-checkpoint-v1\n" + checkpoint.path("size").asLong() + "\n"
                                + checkpoint.path("root").asText() + "\n"
                                + checkpoint.path("atMillis").asLong())
                        .getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(
                Base64.getDecoder().decode(checkpoint.path("signature").asText()));
    }

    private Cli.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of("audit"));
        all.addAll(List.of(args));
        all.addAll(List.of("--server", server.url(), "--token", TestServer.ADMIN_TOKEN));
        return Cli.run(all.toArray(String[]::new));
    }

    private Jdbi jdbi() {
        return server.tandem().database().jdbi();
    }

    private List<JsonNode> entries(String path) {
        List<JsonNode> out = new ArrayList<>();
        server.admin(path).json().path("entries").forEach(out::add);
        return out;
    }

    private static List<String> kinds(List<JsonNode> entries) {
        return entries.stream().map(e -> e.path("kind").asText()).toList();
    }
}
