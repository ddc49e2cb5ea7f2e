package dev.tandem.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The filter of stored identifiers may answer "maybe" for a value never added (then the store
 * looks it up), but never "certainly not" for one that was: that would split a customer in two.
 */
class SeenIdentifiersTest {
    @Property(tries = 200)
    void everyValueAddedIsReportedAsMaybeStored(
            @ForAll @Size(max = 300) List<@StringLength(max = 60) String> values, @ForAll boolean asEmail) {
        SeenIdentifiers seen = new SeenIdentifiers(values.size());
        String type = asEmail ? "email" : "anonymous_id";
        values.forEach(v -> seen.add(type, v));
        for (String v : values) {
            assertThat(seen.mayContain(type, v)).as(v).isTrue();
        }
    }

    @Test
    void aValueOfAnotherTypeOrNeverAddedIsMostlyReportedAbsent() {
        SeenIdentifiers seen = new SeenIdentifiers(100_000);
        for (int i = 0; i < 100_000; i++) {
            seen.add("email", "user" + i + "@example.com");
        }
        int maybe = 0;
        Set<String> probed = new HashSet<>();
        for (int i = 100_000; i < 200_000; i++) {
            probed.add("user" + i + "@example.com");
            if (seen.mayContain("email", "user" + i + "@example.com")) {
                maybe++;
            }
        }
        // sized for twice what it holds: well under 1% of never-seen values cost a lookup
        assertThat(maybe).isLessThan(probed.size() / 100);
        assertThat(seen.mayContain("user_id", "user1@example.com")).isFalse();
        assertThat(seen.full()).isFalse();
        assertThat(seen.count()).isEqualTo(100_000);
    }

    @Test
    void pastItsCapacityItAsksToBeRebuilt() {
        SeenIdentifiers seen = new SeenIdentifiers(1);
        for (int i = 0; i <= (1 << 20); i++) {
            seen.add("user_id", "u" + i);
        }
        assertThat(seen.full()).isTrue();
    }
}
