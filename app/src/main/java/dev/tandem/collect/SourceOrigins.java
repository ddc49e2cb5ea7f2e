package dev.tandem.collect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.error.BadRequest;
import dev.tandem.error.Forbidden;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * The browser origins each source accepts events from. A source without a list accepts any origin
 * (the default: a write key is public, and any page may carry it); one with a list refuses calls
 * whose {@code Origin} header names another, with {@code 403 origin_not_allowed}. Calls without an
 * {@code Origin} header (servers, apps) are never refused: this keeps other sites' pages from
 * sending with your key, it is not authentication.
 *
 * <p>Why a copy in memory: every tracking call asks, and the lists change rarely; a write replaces
 * the whole map, so readers never lock.
 */
final class SourceOrigins {
    private final Jdbi jdbi;
    private volatile Map<String, Set<String>> bySource;

    public SourceOrigins(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.bySource = load();
    }

    /** Throws {@code 403 origin_not_allowed} when the source has a list and {@code origin} is not on it. */
    void check(Source source, String origin) {
        if (origin == null) {
            return;
        }
        Set<String> allowed = bySource.get(source.id());
        if (allowed != null && !allowed.contains(origin.toLowerCase(Locale.ROOT))) {
            throw new Forbidden(
                    "origin_not_allowed",
                    "Source '" + source.name() + "' does not accept events from " + origin
                            + "; add the origin with PUT /v1/admin/sources/" + source.name() + "/origins.");
        }
    }

    List<String> of(Source source) {
        return List.copyOf(bySource.getOrDefault(source.id(), Set.of()));
    }

    /** Replaces the source's list; an empty list accepts any origin again. */
    List<String> replace(Source source, List<String> origins) {
        Set<String> normalized = new TreeSet<>();
        for (String origin : origins) {
            normalized.add(normalize(origin));
        }
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM source_origins WHERE source_id = :id")
                    .bind("id", source.id())
                    .execute();
            for (String origin : normalized) {
                h.createUpdate("INSERT INTO source_origins (source_id, origin) VALUES (:id, :origin)")
                        .bind("id", source.id())
                        .bind("origin", origin)
                        .execute();
            }
        });
        bySource = load();
        return List.copyOf(normalized);
    }

    private Map<String, Set<String>> load() {
        Map<String, Set<String>> loaded = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT source_id, origin FROM source_origins")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e ->
                        loaded.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue())));
        Map<String, Set<String>> frozen = new HashMap<>();
        loaded.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
        return Map.copyOf(frozen);
    }

    /** {@code scheme://host[:port]} as browsers send it in {@code Origin}, lower case, without a default port. */
    static String normalize(String origin) {
        String hint =
                " Write an origin as a browser sends it, such as https://shop.example.com or http://localhost:3000.";
        if (origin == null || origin.isBlank() || origin.length() > 300) {
            throw new BadRequest(
                    "invalid_origin", "An origin must be non-empty text of at most 300 characters." + hint, "origins");
        }
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            throw new BadRequest("invalid_origin", "'" + origin + "' is not an origin." + hint, "origins");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new BadRequest(
                    "invalid_origin",
                    "'" + origin + "' is not an origin (scheme, host and port only)." + hint,
                    "origins");
        }
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    static List<String> texts(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new BadRequest(
                    "invalid_origins",
                    "Send {\"origins\": [\"https://shop.example.com\"]}; [] accepts any origin.",
                    "origins");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new BadRequest("invalid_origin", "Each origin must be a string.", "origins");
            }
            out.add(item.asText());
        }
        if (out.size() > 100) {
            throw new BadRequest("invalid_origins", "A source may list at most 100 origins.", "origins");
        }
        return out;
    }
}
