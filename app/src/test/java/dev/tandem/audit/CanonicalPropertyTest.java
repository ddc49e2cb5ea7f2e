package dev.tandem.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.config.Json;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The chain's quoting is Jackson's: for any string (control characters, quotes, backslashes,
 * surrogates, any script), the literal the hash covers is the one a JSON writer produces, so the
 * documented recipe (canonical JSON written by any Jackson-compatible writer) reproduces every hash.
 */
class CanonicalPropertyTest {
    private static final ObjectMapper MAPPER = Json.mapper();

    @Property(tries = 2_000)
    void aQuotedStringIsWhatJacksonWrites(@ForAll String text) throws Exception {
        assertThat(Canonical.quoted(text)).isEqualTo(MAPPER.writeValueAsString(text));
    }

    @Property(tries = 500)
    void anEntryHashChangesWithAnyFieldOfIt(@ForAll String actor, @ForAll String object) {
        ChainHash chain = new ChainHash();
        String base = chain.of(ChainHash.GENESIS, 1, 1_000, actor, "admin.change", object, "{}");
        assertThat(chain.of(ChainHash.GENESIS, 1, 1_000, actor + "x", "admin.change", object, "{}"))
                .isNotEqualTo(base);
        assertThat(chain.of(ChainHash.GENESIS, 1, 1_000, actor, "admin.change", object + "x", "{}"))
                .isNotEqualTo(base);
        assertThat(chain.of(ChainHash.GENESIS, 2, 1_000, actor, "admin.change", object, "{}"))
                .isNotEqualTo(base);
        assertThat(chain.of(base, 1, 1_000, actor, "admin.change", object, "{}"))
                .isNotEqualTo(base);
        assertThat(chain.of(ChainHash.GENESIS, 1, 1_000, actor, "admin.change", object, "{}"))
                .isEqualTo(base);
    }
}
