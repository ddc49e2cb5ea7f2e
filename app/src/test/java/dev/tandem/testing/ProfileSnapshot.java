package dev.tandem.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tandem.config.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * What the Profile API says about a set of identifiers, in a form two runs can be compared by:
 * which identifiers share a profile, and each profile's traits, identifiers and event count.
 * Profile ids are left out, so runs that number profiles differently still compare equal.
 */
public final class ProfileSnapshot {
    private static final ObjectMapper SORTED =
            Json.mapper().copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ProfileSnapshot() {}

    /** One line per profile, sorted: its identifiers among {@code identifiers}, then its traits, all identifiers and event count. */
    public static List<String> of(TestServer server, List<String> identifiers) {
        return of(server::profile, identifiers, false);
    }

    /**
     * As {@link #of(TestServer, List)}, read through {@code http} with the admin {@code token} (a server in a process of
     * its own), each line ending with the keys of the audiences the profile is a member of.
     */
    public static List<String> withAudiences(Http http, String token, List<String> identifiers) {
        return of(
                (id, what) -> http.get("/v1/profiles/" + id + "/" + what, "Authorization", "Bearer " + token),
                identifiers,
                true);
    }

    private static List<String> of(
            BiFunction<String, String, Http.Response> profile, List<String> identifiers, boolean audiences) {
        Map<String, TreeSet<String>> byProfile = new TreeMap<>();
        for (String id : identifiers) {
            Http.Response r = profile.apply(id, "traits");
            if (r.status() == 200) {
                byProfile
                        .computeIfAbsent(r.json().path("profile_id").asText(), k -> new TreeSet<>())
                        .add(id);
            } else if (r.status() != 404) {
                throw new AssertionError(id + ": " + r.status() + " " + r.body());
            }
        }
        List<String> lines = new ArrayList<>();
        for (TreeSet<String> ids : byProfile.values()) {
            String any = ids.first();
            JsonNode traits = profile.apply(any, "traits").json().path("traits");
            TreeSet<String> all = new TreeSet<>();
            profile.apply(any, "external_ids")
                    .json()
                    .path("data")
                    .forEach(i ->
                            all.add(i.path("type").asText() + ":" + i.path("id").asText()));
            long events = profile.apply(any, "metadata").json().path("events").asLong();
            String line = ids + " traits=" + sorted(traits) + " ids=" + all + " events=" + events;
            if (audiences) {
                TreeSet<String> keys = new TreeSet<>();
                profile.apply(any, "audiences")
                        .json()
                        .path("data")
                        .forEach(a -> keys.add(a.path("key").asText()));
                line += " audiences=" + keys;
            }
            lines.add(line);
        }
        lines.sort(null);
        return lines;
    }

    /** Only which identifiers share a profile. */
    public static List<String> partition(TestServer server, List<String> identifiers) {
        return of(server, identifiers).stream()
                .map(line -> line.substring(0, line.indexOf(" traits=")))
                .toList();
    }

    private static String sorted(JsonNode node) {
        try {
            return SORTED.writeValueAsString(SORTED.convertValue(node, TreeMap.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
