package dev.tandem.protect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/**
 * How read paths (the Profile API, audience members, exports) hand data to a caller: through the
 * policy gate, as the caller's role and purposes allow. Personal fields come back masked for a
 * caller without a purpose for them; a denied read is a 403.
 */
public interface ReadPolicy {
    /** Passes everything; for tools and tests that read their own data. */
    ReadPolicy NONE = (ctx, profile, payload) -> payload;

    /**
     * The payload ({@code traits}, {@code properties}, {@code context} objects are governed) as
     * this caller may see it, about profile {@code profile} (0 for none).
     */
    ObjectNode filter(Context ctx, long profile, ObjectNode payload);

    /**
     * Why this caller may not read {@code field} of a profile in clear ("masked (rule ...) for the
     * caller ..."), or null when it may:
     * {@code traits.email}, {@code identifiers.phone} (classed like a trait of that name), or
     * {@code traits} or {@code identifiers} alone for the whole map. Conditions a caller writes
     * (audience previews) may read only what the caller could read in clear, so that yes/no
     * questions cannot unmask a value. Other variables ({@code computed}, {@code consent}...) are
     * not personal fields and are never withheld.
     */
    default String withheld(Context ctx, String field) {
        return null;
    }

    /** One identifier value as this caller may see it (classed like a trait of that name), or null when it must not be shown. */
    default String identifier(Context ctx, long profile, String type, String value) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.putObject("traits").put(type, value);
        ObjectNode out = filter(ctx, profile, payload);
        return out.path("traits").has(type) ? out.path("traits").get(type).asText() : null;
    }
}
