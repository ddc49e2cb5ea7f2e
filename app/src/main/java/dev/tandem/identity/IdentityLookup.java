package dev.tandem.identity;

import java.util.List;
import java.util.Optional;
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

    public IdentityLookup(Jdbi jdbi, IdentityRules rules) {
        this.jdbi = jdbi;
        this.rules = rules;
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
                    .bind("id", n).mapTo(Long.class).findOne());
        }
        IdentifierType type = rules.type(id.type());
        String value = (type == null ? Normalization.ID : type.normalization()).normalize(id.value(), rules.phoneRegion());
        if (value == null) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT profile_id FROM identity_links WHERE type = :type AND value = :value")
                .bind("type", id.type()).bind("value", value).mapTo(Long.class).findOne());
    }

    public List<ProfileIdentifier> identifiers(long profile) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT type, value, first_seen, source_id FROM identity_links WHERE profile_id = :p ORDER BY first_seen, type, value")
                .bind("p", profile)
                .map((rs, ctx) -> new ProfileIdentifier(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .list());
    }

    /** Every merge that fed this profile, directly or through a profile merged into it, oldest first. */
    public List<MergeRecord> merges(long profile) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kept, merged, id_type, id_value, message_id, seq, at FROM identity_merges "
                        + "WHERE kept = :p OR kept IN (SELECT id FROM profiles WHERE merged_into = :p) ORDER BY seq, id")
                .bind("p", profile)
                .map((rs, ctx) -> new MergeRecord(rs.getLong(1), rs.getLong(2), new Identifier(rs.getString(3), rs.getString(4)),
                        rs.getString(5), rs.getLong(6), rs.getLong(7)))
                .list());
    }

    /** How many live (not merged) profiles there are. */
    public long profileCount() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM profiles WHERE merged_into IS NULL").mapTo(Long.class).one());
    }
}
