package dev.tandem.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The rejected rows of an import, as CSV ({@code line,code,column,message}), written beside the
 * input or at {@code --report}. Created at the first rejected row; a resumed import appends to it.
 * The first few are kept for the summary.
 */
final class ImportReport implements AutoCloseable {
    static final int SHOWN = 10;

    /** One rejected row: its first line in the file, why, and the column (or field) at fault, or empty. */
    record Rejected(long line, String code, String column, String message) {}

    private final Path file;
    private final boolean append;
    private final List<Rejected> first = new ArrayList<>();
    private BufferedWriter out;

    /** @param append whether to add to an existing report (a resumed import) rather than start a new one */
    ImportReport(Path file, boolean append) {
        this.file = file;
        this.append = append;
        if (!append) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new CommandFailure(
                        "Cannot replace the report " + file + " (" + e.getMessage() + "); pass --report.");
            }
        }
    }

    Path file() {
        return file;
    }

    void add(Rejected rejected) {
        if (first.size() < SHOWN) {
            first.add(rejected);
        }
        try {
            if (out == null) {
                boolean fresh = !append || !Files.exists(file);
                out = Files.newBufferedWriter(
                        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                if (fresh) {
                    out.write("line,code,column,message\n");
                }
            }
            out.write(rejected.line() + "," + quoted(rejected.code()) + "," + quoted(rejected.column()) + ","
                    + quoted(rejected.message()) + "\n");
        } catch (IOException e) {
            throw new CommandFailure("Cannot write the report " + file + " (" + e.getMessage() + "); pass --report.");
        }
    }

    /** The first rejected rows of this run, for the summary. */
    List<Rejected> first() {
        return first;
    }

    void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new CommandFailure("Cannot write the report " + file + " (" + e.getMessage() + ").");
            }
        }
    }

    private static String quoted(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.indexOf(',') < 0 && flat.indexOf('"') < 0 ? flat : '"' + flat.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new CommandFailure("Cannot write the report " + file + " (" + e.getMessage() + ").");
            }
        }
    }
}
