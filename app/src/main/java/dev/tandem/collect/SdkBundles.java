package dev.tandem.collect;

import dev.tandem.error.NotFound;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser SDK bundles, copied from their pinned npm packages into the jar at build time
 * (under {@code sdk/}; see sdks/package.json and docs/sdks.md). A jar built where npm was not
 * available has none, and says so in a 404 instead of serving something else.
 */
final class SdkBundles {
    static final String SEGMENT = "sdk/analytics-next/";
    static final String RUDDERSTACK = "sdk/rudderstack/";
    /** Plain file names only: no path can leave the bundle's folder. */
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.js");
    /** Chunk names carry a content hash, so they never change under the same name. */
    private static final Pattern HASHED = Pattern.compile(".*\\.[0-9a-f]{16,}\\.js");

    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    private SdkBundles() {}

    static SdkBundles fromClasspath() {
        return new SdkBundles();
    }

    void send(Context ctx, String folder, String file) {
        if (!FILE.matcher(file).matches()) {
            throw new NotFound("unknown_bundle", "No SDK bundle is called " + file + ".");
        }
        byte[] bytes = loaded.get(folder + file);
        if (bytes == null) {
            bytes = read(folder + file);
            if (bytes == null) {
                boolean built = SdkBundles.class.getClassLoader().getResource(folder + "index.js") != null;
                throw new NotFound(
                        built ? "unknown_bundle" : "sdk_bundles_missing",
                        built
                                ? "No SDK bundle is called " + file + "."
                                : "This Tandem was built without the SDK bundles (npm was not on the PATH); see docs/sdks.md to build them in.");
            }
            loaded.put(folder + file, bytes); // only hits are kept, so unknown names cannot fill the map
        }
        ctx.header(
                "Cache-Control",
                HASHED.matcher(file).matches() ? "public, max-age=31536000, immutable" : "public, max-age=300");
        ctx.contentType("application/javascript; charset=utf-8");
        ctx.result(bytes);
    }

    /** The bundle's bytes, or null when the jar does not hold it. */
    private static byte[] read(String resource) {
        try (InputStream in = SdkBundles.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
