package dev.tandem.identity;

import dev.tandem.error.BadRequest;
import dev.tandem.error.NotFound;
import dev.tandem.protect.Tokenizer;
import dev.tandem.store.InLists;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The read side of identity: which profile an identifier belongs to (normalised like events are,
 * so {@code email: Ann@Example.com } finds {@code ann@example.com}), a profile's identifiers and
 * its merge history. {@code profile_id:<n>} finds a profile by id, following merges.
 */
public final class IdentityLookup {
    public static final String PROFILE_ID = "profile_id";

    private final Jdbi jdbi;
    private final IdentityRules rules;
    private final Tokenizer tokens;

    public IdentityLookup(Jdbi jdbi, IdentityRules rules, Tokenizer tokens) {
        this.jdbi = jdbi;
        this.rules = rules;
        this.tokens = tokens;
    }

    /**
     * The profile named by {@code text}, {@code <type>:<value>} as the Profile API takes it;
     * {@link BadRequest} when the text is not an identifier, {@link NotFound} when no profile has it.
     */
    public long require(String text) {
        Identifier id = Identifier.parse(text);
        if (id == null) {
            throw new BadRequest(
                    "invalid_identifier",
                    "Name the profile as '<type>:<value>', such as 'email:ann@example.com', "
                            + "'user_id:u-42' or 'profile_id:17'.",
                    "id");
        }
        return profileOf(id)
                .orElseThrow(() -> new NotFound(
                        "profile_not_found",
                        "No profile has the identifier " + id + ". Events are applied within moments of arriving; "
                                + "check the type name and GET /v1/admin/processor if it should exist."));
    }

    public Optional<Long> profileOf(Identifier id) {
        if (id.type().equals(PROFILE_ID)) {
            long n;
            try {
                n = Long.parseLong(id.value());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(merged_into, id) FROM profiles WHERE id = :id")
                    .bind("id", n)
                    .mapTo(Long.class)
                    .findOne());
        }
        IdentifierType type = rules.type(id.type());
        String value =
                (type == null ? Normalization.ID : type.normalization()).normalize(id.value(), rules.phoneRegion());
        if (value == null) {
            return Optional.empty();
        }
        return jdbi.withHandle(
                h -> h.createQuery("SELECT profile_id FROM identity_links WHERE type = :type AND value = :value")
                        .bind("type", id.type())
                        .bind("value", tokens.token(id.type(), value))
                        .mapTo(Long.class)
                        .findOne());
    }

    /** Whether the identity tables hold any tokenized identifier (written with some key store). */
    public boolean holdsTokens() {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM identity_links WHERE value LIKE 't1.%' LIMIT 1")
                        .mapTo(Integer.class)
                        .findOne())
                .isPresent();
    }

    /**
     * Whether a stored identifier token decrypts with this key store's tokenization key (true when
     * none is stored): false means the tokens were written with another key store.
     */
    public boolean tokensDecrypt() {
        Optional<String[]> stored = jdbi.withHandle(h -> h.createQuery(
                        "SELECT type, value FROM identity_links WHERE value LIKE 't1.%' LIMIT 1")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .findOne());
        try {
            stored.ifPresent(link -> tokens.value(link[0], link[1]));
            return true;
        } catch (IllegalStateException wrongKey) {
            // the answer: Tokenizer.value throws exactly when the token does not decrypt under this key
            return false;
        }
    }

    /** How identifiers are stored. */
    public Tokenizer tokenizer() {
        return tokens;
    }

    /** These profiles and every profile merged into one of them. */
    public java.util.Set<Long> family(Collection<Long> profiles) {
        java.util.Set<Long> out = new java.util.TreeSet<>(profiles);
        jdbi.useHandle(h -> {
            for (List<Long> chunk : dev.tandem.store.InLists.chunks(profiles)) {
                out.addAll(h.createQuery("SELECT id FROM profiles WHERE merged_into IN (<p>)")
                        .bindList("p", chunk)
                        .mapTo(Long.class)
                        .list());
            }
        });
        return out;
    }

    public List<ProfileIdentifier> identifiers(long profile) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT type, value, first_seen, source_id FROM identity_links WHERE profile_id = :p ORDER BY first_seen, type, value")
                .bind("p", profile)
                .map((rs, ctx) -> new ProfileIdentifier(
                        rs.getString(1),
                        tokens.value(rs.getString(1), rs.getString(2)),
                        rs.getLong(3),
                        rs.getString(4)))
                .list());
    }

    /** The identifiers of each of {@code profiles}, values by type; profiles without any are left out. */
    public Map<Long, Map<String, List<String>>> identifiersByType(Collection<Long> profiles) {
        Map<Long, Map<String, List<String>>> found = new HashMap<>();
        jdbi.useHandle(h -> {
            for (List<Long> chunk : InLists.chunks(profiles)) {
                h.createQuery(
                                "SELECT profile_id, type, value FROM identity_links WHERE profile_id IN (<ids>) ORDER BY first_seen, type, value")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> found.computeIfAbsent(rs.getLong(1), p -> new TreeMap<>())
                                .computeIfAbsent(rs.getString(2), t -> new ArrayList<>())
                                .add(tokens.value(rs.getString(2), rs.getString(3))))
                        .list();
            }
        });
        return found;
    }

    /** Every merge that fed this profile, directly or through a profile merged into it, oldest first. */
    public List<MergeRecord> merges(long profile) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT kept, merged, id_type, id_value, message_id, seq, at FROM identity_merges "
                                + "WHERE kept = :p OR kept IN (SELECT id FROM profiles WHERE merged_into = :p) ORDER BY seq, id")
                .bind("p", profile)
                .map((rs, ctx) -> new MergeRecord(
                        rs.getLong(1),
                        rs.getLong(2),
                        new Identifier(rs.getString(3), tokens.value(rs.getString(3), rs.getString(4))),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getLong(7)))
                .list());
    }

    /** How many live (not merged) profiles there are. */
    public long profileCount() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM profiles WHERE merged_into IS NULL")
                .mapTo(Long.class)
                .one());
    }
}
