package dev.tandem.protect;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The built-in value matchers skip their regex when a cheap test says it cannot match; that test
 * must never hide a match. Compared with the bare regex on text built from the characters the
 * patterns care about, so that near misses (dashes in odd places, a leading {@code @}) come often.
 */
class MatcherShortcutPropertyTest {
    @Property(tries = 5_000)
    void theShortcutNeverHidesAMatch(@ForAll("nearMisses") String text) {
        for (Matcher m : Classification.DEFAULT_VALUES) {
            assertThat(m.matches(text))
                    .as("%s on %s", m.description(), text)
                    .isEqualTo(m.pattern().matcher(text).find());
        }
    }

    @Provide
    Arbitrary<String> nearMisses() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789-@. eyJa_").ofMaxLength(16),
                Arbitraries.of("123-45-6789", "eyJhbGciOi.eyJzdWIi.", "ann@example.com", "@x.y", "a-b "));
        return pieces.list().ofMaxSize(4).map(l -> String.join("", l));
    }
}
