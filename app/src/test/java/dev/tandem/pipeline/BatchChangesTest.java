package dev.tandem.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.module.Module;
import dev.tandem.module.Wiring;
import dev.tandem.testing.StoreKind;
import dev.tandem.testing.TestServer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline contract seen from a stage that only reads: a test module registers it after the
 * built-in stages, and from one batch it sees a profile's trait change, the merge and the audience
 * entry that batch caused, each recorded by the stage that owns it.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class BatchChangesTest {
    private static final String WORKSPACE = """
            audiences:
              - key: pro_plan
                name: Pro plan
                owners: [marketing]
                condition: traits.plan == "pro"
            """;

    private final StoreKind store;

    @TempDir
    Path dir;

    BatchChangesTest(StoreKind store) {
        this.store = store;
    }

    /** What the reading stage saw of each non-empty batch, in the order the stages recorded it. */
    record Seen(List<String> traits, List<Merge> merges, List<Membership> memberships, List<String> order) {}

    /** A stage that writes nothing and keeps what it read. */
    static final class Reader implements Stage, Module {
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "test-reader";
        }

        @Override
        public void wire(Wiring wiring) {
            wiring.stage(this);
        }

        @Override
        public Set<Change> reads() {
            return Set.of(Change.PROFILES, Change.MERGES, Change.MEMBERSHIPS);
        }

        @Override
        public Set<Change> writes() {
            return Set.of();
        }

        @Override
        public void process(Batch batch) {
            BatchChanges changes = batch.changes();
            List<String> traits = changes.profiles().stream()
                    .flatMap(c -> c.names().stream()
                            .filter(n -> n.startsWith("traits."))
                            .map(n -> c.profile() + ":" + n))
                    .sorted()
                    .toList();
            List<String> order = new java.util.ArrayList<>();
            if (!traits.isEmpty()) {
                order.add("trait");
            }
            if (!changes.merges().isEmpty()) {
                order.add("merge");
            }
            if (!changes.memberships().isEmpty()) {
                order.add("membership");
            }
            seen.add(new Seen(traits, List.copyOf(changes.merges()), List.copyOf(changes.memberships()), order));
        }

        @Override
        public void write(Handle transaction) {}

        @Override
        public void committed() {}

        @Override
        public void discard() {}

        @Override
        public void reset(Handle transaction) {}

        @Override
        public void erase(Handle transaction, Collection<Long> profiles) {}
    }

    @Test
    void aReadingStageSeesTraitChangeMergeAndAudienceEntryFromOneBatch() {
        Reader reader = new Reader();
        try (TestServer server = TestServer.withWorkspace(store, dir, WORKSPACE, List.of(reader))) {
            // one request: the inbox commits it whole, so the processor reads it as one batch
            assertThat(server.track("/v1/batch", """
                    {"batch": [
                      {"type": "identify", "anonymousId": "a1", "traits": {"plan": "pro"}},
                      {"type": "track", "anonymousId": "a2", "event": "Viewed"},
                      {"type": "identify", "anonymousId": "a2", "userId": "u1"},
                      {"type": "track", "userId": "u1", "anonymousId": "a1", "event": "Signed In"}
                    ]}""").status()).isEqualTo(200);
            server.awaitProcessed();
            assertThat(server.profile("anonymous_id:a2", "external_ids")
                            .json()
                            .path("data")
                            .toString())
                    .as("the batch joined both visitors into one profile")
                    .contains("a1", "u1");

            List<Seen> batches =
                    reader.seen.stream().filter(s -> !s.order().isEmpty()).toList();
            assertThat(batches).hasSize(1);
            Seen seen = batches.get(0);
            assertThat(seen.merges()).hasSize(1);
            Merge merge = seen.merges().get(0);
            assertThat(merge.kept()).isNotEqualTo(merge.merged());
            assertThat(seen.traits())
                    .as("the merged-away profile's change folds into the kept one")
                    .containsExactly(merge.kept() + ":traits.plan");
            assertThat(seen.memberships()).singleElement().satisfies(m -> {
                assertThat(m.entered()).isTrue();
                assertThat(m.profileId()).isEqualTo(merge.kept());
            });
            assertThat(seen.order()).containsExactly("trait", "merge", "membership");
        }
    }

    @Test
    void aStageThatReadsWhatNoEarlierStageWritesIsRefused() {
        Stage readsMemberships = new Reader();
        Pipeline pipeline = new Pipeline().add(readsMemberships);
        assertThatThrownBy(pipeline::seal)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-reader")
                .hasMessageContaining("which no stage before it writes");
    }
}
