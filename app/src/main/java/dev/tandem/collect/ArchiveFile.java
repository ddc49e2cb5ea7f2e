package dev.tandem.collect;

import dev.tandem.store.PrivateFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One archive day file: JSON Lines in gzip, written as one gzip member per append. Why members:
 * a day is archived over many slices, and appending a member costs only the new lines, where
 * rewriting the file would cost the whole day each time; {@code zcat} and every gzip reader read
 * the members as one stream. Only the first {@code length} bytes count (the length the manifest
 * committed): an append torn by a crash is cut off before the next one and never read.
 */
final class ArchiveFile {
    private ArchiveFile() {}

    /** Appends the lines as a new member after the first {@code committed} bytes, fsynced; returns the new length. */
    static long append(Path file, long committed, List<String> lines) {
        try {
            PrivateFiles.directory(file.getParent());
            boolean fresh = !Files.exists(file);
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                if (fresh) {
                    PrivateFiles.restrictFile(file);
                }
                channel.truncate(committed);
                channel.position(committed);
                writeMember(Channels.newOutputStream(channel), lines);
                channel.force(true);
                return channel.size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the archive file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The lines of the first {@code length} bytes, in file order. */
    static List<String> read(Path file, long length) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = reader(file, length)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the archive file " + file + ": " + e.getMessage(), e);
        }
        return lines;
    }

    /** A reader of the first {@code length} bytes' lines; the caller closes it. */
    static BufferedReader reader(Path file, long length) throws IOException {
        InputStream raw = new Bounded(Files.newInputStream(file), length);
        return new BufferedReader(
                new InputStreamReader(new GZIPInputStream(raw, 1 << 16), StandardCharsets.UTF_8), 1 << 16);
    }

    /**
     * Writes the lines {@code keep} accepts as the whole file, through a new file moved in place;
     * returns the new length, or -1 when every line was kept and the file is left as it was.
     */
    static long rewrite(Path file, long length, Predicate<String> keep, int[] kept) {
        List<String> lines = read(file, length);
        List<String> remaining = lines.stream().filter(keep).toList();
        kept[0] = remaining.size();
        if (remaining.size() == lines.size()) {
            return -1;
        }
        Path next = file.resolveSibling(file.getFileName() + ".rewrite");
        try {
            try (FileChannel channel = FileChannel.open(
                    next, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                PrivateFiles.restrictFile(next);
                writeMember(Channels.newOutputStream(channel), remaining);
                channel.force(true);
            }
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rewrite the archive file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeMember(OutputStream out, List<String> lines) throws IOException {
        // not closed: closing would close the channel before it is forced; finish() writes the trailer
        GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
        Writer writer = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16);
        for (String line : lines) {
            writer.write(line);
            writer.write('\n');
        }
        writer.flush();
        gzip.finish();
        out.flush();
    }

    /** The first {@code limit} bytes of a stream, with {@code available} telling what is left (gzip reads members by it). */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(Math.min(left, in.available()), Integer.MAX_VALUE);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
