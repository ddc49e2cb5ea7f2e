package dev.tandem.wire;

import dev.tandem.error.BadRequest;
import io.javalin.http.Context;

/**
 * Paging parameters of a read endpoint: an opaque cursor in query parameter {@code param} and a
 * {@code limit} from 1 to {@code maxLimit}. The read-back endpoints use {@link #READ_BACK}; other
 * packages declare their own (the Profile API pages with {@code next}, as Segment's does).
 */
public record Cursors(String param, int defaultLimit, int maxLimit) {
    public static final Cursors READ_BACK = new Cursors("after", 100, 1_000);

    /** The position after which to read; 0 (the start) when no cursor is given. */
    public long after(Context ctx) {
        String cursor = ctx.queryParam(param);
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            long position = Long.parseLong(cursor);
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequest(
                "invalid_cursor", "'" + param + "' must be a cursor returned by an earlier page (its 'next').", param);
    }

    public int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequest("invalid_limit", "'limit' must be a whole number from 1 to " + maxLimit + ".", "limit");
    }

    public static String cursor(long position) {
        return Long.toString(position);
    }
}
