package dev.tandem.collect;

import dev.tandem.error.BadRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body, gunzipping it when {@code Content-Encoding: gzip}, and refuses it as
 * soon as it grows past the limit, so an oversized or decompression-bomb body never fills memory.
 */
final class RequestBody {
    private RequestBody() {}

    /**
     * @param limitCode the error code when the body is too large, naming the limit
     * @param limitName the limit in words, for the message
     */
    static byte[] read(InputStream raw, String contentEncoding, int limit, String limitCode, String limitName) {
        try (InputStream in = decoded(raw, contentEncoding)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
            byte[] chunk = new byte[16 * 1024];
            int total = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new BadRequest(
                            limitCode,
                            "The body is larger than " + limitName + " (" + limit
                                    + " bytes uncompressed); split it into smaller requests.");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (ZipException e) {
            throw new BadRequest(
                    "invalid_gzip",
                    "The body says Content-Encoding: gzip but is not valid gzip: " + e.getMessage() + ".");
        } catch (java.io.EOFException e) {
            throw new BadRequest(
                    "invalid_gzip",
                    "The body says Content-Encoding: gzip but ends before its gzip stream does; "
                            + "send the whole compressed body.");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the request body", e);
        }
    }

    private static InputStream decoded(InputStream raw, String contentEncoding) throws IOException {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (contentEncoding.trim().equalsIgnoreCase("gzip")) {
            return new GZIPInputStream(raw, 16 * 1024);
        }
        throw new BadRequest(
                "unsupported_encoding",
                "Content-Encoding '" + contentEncoding + "' is not supported; send the body plain or gzip-compressed.",
                "Content-Encoding");
    }
}
