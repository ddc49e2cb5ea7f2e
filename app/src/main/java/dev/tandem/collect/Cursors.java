package dev.tandem.collect;

import dev.tandem.error.BadRequest;
import io.javalin.http.Context;

/** Paging parameters of the read-back endpoints: an opaque {@code after} cursor and a {@code limit}. */
final class Cursors {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    private Cursors() {}

    /** The position after which to read; 0 (the start) when no cursor is given. */
    static long after(Context ctx) {
        String cursor = ctx.queryParam("after");
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
        throw new BadRequest("invalid_cursor", "'after' must be a cursor returned as 'next' by an earlier page.", "after");
    }

    static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequest("invalid_limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ".", "limit");
    }

    static String cursor(long position) {
        return Long.toString(position);
    }
}
