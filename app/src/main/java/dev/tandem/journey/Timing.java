package dev.tandem.journey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.expr.ProfileView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;

/** Time zones, due times, sticky buckets and send ids: the arithmetic of a journey, without state. */
final class Timing {
    private Timing() {}

    /** The profile's time zone: its {@code timezone} trait when that is an IANA zone, else UTC. */
    static ZoneId zone(ProfileView view) {
        JsonNode tz = view == null ? null : view.traits().get("timezone");
        if (tz != null && tz.isTextual()) {
            try {
                return ZoneId.of(tz.asText());
            } catch (DateTimeException e) {
                return ZoneOffset.UTC;
            }
        }
        return ZoneOffset.UTC;
    }

    /** When a wait that starts at {@code now} ends; null when its date trait is missing or not a date. */
    static Instant due(Step.Wait wait, Instant now, ProfileView view) {
        if (wait.duration() != null) {
            return now.plus(wait.duration());
        }
        ZoneId zone = zone(view);
        if (wait.until() != null) {
            ZonedDateTime local = now.atZone(zone);
            ZonedDateTime at = local.with(wait.until())
                    .withSecond(wait.until().getSecond())
                    .withNano(0);
            return (at.isAfter(local) ? at : at.plusDays(1)).toInstant();
        }
        JsonNode value = view == null ? null : view.traits().get(wait.trait());
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.asText();
        try {
            Instant base = text.length() <= 10
                    ? LocalDate.parse(text).atStartOfDay(zone).toInstant()
                    : Instant.parse(text);
            return base.plus(wait.offset());
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The local day of {@code at} in a zone, as caps count it. */
    static String day(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDate().toString();
    }

    /** A number from 0 to 99, the same for the same inputs on every run and every server. */
    static int bucket(String... parts) {
        byte[] d = sha256(String.join("|", parts));
        int v = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        return Math.floorMod(v, 100);
    }

    /** The send id: from journey, version, profile, entry key and step, so a resend after a crash carries the same id. */
    static String sendId(String journey, int version, long profile, String entryKey, String step) {
        return "jr_"
                + HexFormat.of()
                        .formatHex(sha256(journey + "|" + version + "|" + profile + "|" + entryKey + "|" + step))
                        .substring(0, 32);
    }

    /** One digest per thread: looking the algorithm up costs more than hashing a short text. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private static byte[] sha256(String text) {
        return SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)); // digest() resets it for the next
    }
}
