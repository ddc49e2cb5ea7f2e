package dev.tandem.retain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.collect.Retention;
import dev.tandem.server.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retentions as tandem.yaml writes them: units, bounds, and the defaults of a source that declares none. */
class RetentionUnitsTest {
    @TempDir
    Path dir;

    @Test
    void hoursDaysAndWeeksAreReadAndTheDefaultsFillTheRest() throws Exception {
        Path file = dir.resolve("tandem.yaml");
        Files.writeString(file, """
                sources:
                  - name: web
                    retention: {events: 2w, quarantine: 12h}
                  - name: app
                    retention: {events: 36500d}
                  - name: plain
                """);
        Workspace w = Workspace.load(file);
        assertThat(w.sources().get(0).retention()).isEqualTo(new Retention(Duration.ofDays(14), Duration.ofHours(12)));
        assertThat(w.sources().get(1).retention())
                .isEqualTo(new Retention(Duration.ofDays(36_500), Duration.ofDays(30)));
        assertThat(w.sources().get(2).retention()).isEqualTo(Retention.DEFAULTS);
        assertThat(Retention.DEFAULTS.events()).isEqualTo(Duration.ofDays(400));
        assertThat(Retention.parse("1h")).isEqualTo(Retention.SHORTEST);
        assertThat(Retention.format(Duration.ofDays(400))).isEqualTo("400d");
        assertThat(Retention.format(Duration.ofDays(14))).isEqualTo("2w");
    }
}
