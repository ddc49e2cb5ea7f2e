package dev.tandem.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Splits an input file into rows on its bytes, before any decoding, so that every row knows its
 * first line and where it ends: a CSV row ends at a line break outside quotes (a quoted field may
 * hold line breaks), a JSON Lines row at every line break. {@code \n}, {@code \r\n} and a lone
 * {@code \r} all end a line. A UTF-8 byte order mark at the start is skipped; a UTF-16 one is
 * refused. A row longer than {@code maxRowBytes} is not kept in memory: it comes back without
 * bytes, to be refused, and scanning goes on after it. A running SHA-256 of every byte read lets
 * the caller check, on resume, that the part already imported has not changed.
 */
final class ImportRows implements AutoCloseable {
    /**
     * One row as found in the file.
     *
     * @param line  the line it starts on, from 1
     * @param end   the byte offset just after it and its line break
     * @param bytes the row without its line break; null when it was longer than the limit
     */
    record Row(long line, long end, byte[] bytes) {}

    private final InputStream in;
    private final int delimiter;
    private final int maxRowBytes;
    private final MessageDigest digest = sha256();
    private final ByteArrayOutputStream row = new ByteArrayOutputStream(256);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int length;
    /** Bytes of the buffer before this index are in the digest; why not byte by byte: that was most of the scan. */
    private int hashed;

    private long offset;
    private long line;

    /**
     * Opens {@code file} at {@code start} (0, or the end of a row returned before), whose line
     * number is {@code line}; the digest covers every byte from the start of the file.
     *
     * @param delimiter the CSV delimiter, or -1 for JSON Lines
     */
    ImportRows(Path file, int delimiter, int maxRowBytes, long start, long line) throws IOException {
        this.in = Files.newInputStream(file);
        this.delimiter = delimiter;
        this.maxRowBytes = maxRowBytes;
        this.line = line;
        if (start == 0) {
            skipByteOrderMark();
        } else {
            skip(start);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    /** The SHA-256 in hex of the first {@code length} bytes of {@code file}; null when the file is shorter. */
    static String prefixHash(Path file, long length) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            for (long left = length; left > 0; ) {
                int n = raw.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    return null;
                }
                digest.update(chunk, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The line number after the last row returned. */
    long line() {
        return line;
    }

    /** The byte offset after the last row returned. */
    long offset() {
        return offset;
    }

    /** The SHA-256 in hex of every byte up to {@link #offset()}, without disturbing the running one. */
    String hashSoFar() {
        digest.update(buffer, hashed, position - hashed);
        hashed = position;
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 cannot be copied on this JVM", e);
        }
    }

    /** The next row that is not blank, or null at the end of the file. */
    Row next() throws IOException {
        while (true) {
            row.reset();
            long first = line;
            boolean tooLarge = false;
            boolean quoted = false;
            boolean fieldStart = true;
            int b = read();
            if (b < 0) {
                return null;
            }
            for (; b >= 0; b = read()) {
                if (b == '\n' || b == '\r') {
                    if (b == '\r' && peek() == '\n') {
                        read();
                    }
                    line++;
                    if (!quoted) {
                        break;
                    }
                    b = '\n';
                } else if (delimiter >= 0) {
                    if (quoted && b == '"') {
                        if (peek() == '"') {
                            keep(b, tooLarge);
                            b = read();
                        } else {
                            quoted = false;
                        }
                    } else if (!quoted && b == '"' && fieldStart) {
                        quoted = true;
                    }
                }
                fieldStart = b == delimiter;
                keep(b, tooLarge);
                if (!tooLarge && row.size() > maxRowBytes) {
                    tooLarge = true;
                    row.reset();
                }
            }
            if (tooLarge) {
                return new Row(first, offset, null);
            }
            byte[] bytes = row.toByteArray();
            if (!blank(bytes)) {
                return new Row(first, offset, bytes);
            }
        }
    }

    private void keep(int b, boolean tooLarge) {
        if (!tooLarge) {
            row.write(b);
        }
    }

    private static boolean blank(byte[] bytes) {
        for (byte x : bytes) {
            if (x != ' ' && x != '\t') {
                return false;
            }
        }
        return true;
    }

    private int read() throws IOException {
        if (position == length && !fill()) {
            return -1;
        }
        offset++;
        return buffer[position++] & 0xFF;
    }

    private int peek() throws IOException {
        if (position == length && !fill()) {
            return -1;
        }
        return buffer[position] & 0xFF;
    }

    private boolean fill() throws IOException {
        digest.update(buffer, hashed, position - hashed);
        int n = in.read(buffer, 0, buffer.length);
        position = 0;
        hashed = 0;
        length = Math.max(0, n);
        return n > 0;
    }

    private void skipByteOrderMark() throws IOException {
        fill();
        byte[] b = buffer;
        if (length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF) {
            position = 3;
            offset = 3;
        } else if (length >= 2
                && (b[0] == (byte) 0xFF || b[0] == (byte) 0xFE)
                && (b[1] == (byte) 0xFE || b[1] == (byte) 0xFF)) {
            throw new CommandFailure("The file is not UTF-8 (it starts with a UTF-16 byte order mark); "
                    + "save it as UTF-8 (in Excel: 'CSV UTF-8') and import it again.");
        }
    }

    private void skip(long start) throws IOException {
        while (offset < start) {
            if (position == length && !fill()) {
                throw new CommandFailure("The file is shorter than where the interrupted import stopped.");
            }
            int n = (int) Math.min(length - position, start - offset);
            position += n;
            offset += n;
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
