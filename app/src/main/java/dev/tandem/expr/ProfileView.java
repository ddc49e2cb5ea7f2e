package dev.tandem.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What other capabilities may read of a profile: trait values, computed trait values at the time
 * the view was taken, channels, source names, event count and first and last seen (epoch
 * milliseconds), and consent: for each purpose of the catalog, whether data may be used for it.
 * Values are JSON as the events carried them.
 */
public record ProfileView(
        long id,
        Map<String, JsonNode> traits,
        Map<String, JsonNode> computed,
        List<String> channels,
        List<String> sources,
        long eventCount,
        long firstSeen,
        long lastSeen,
        Map<String, Boolean> consent) {}
