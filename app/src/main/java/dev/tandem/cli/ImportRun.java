package dev.tandem.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * One run of {@code tandem import}: reads the file row by row, maps each row to an event with a
 * messageId that depends only on the source, the row's line and its bytes (so a second run of
 * the same file is dropped by Tandem's messageId deduplication), sends batches, and after each
 * acknowledged batch writes the refused rows to the report and saves the state. Continues from a
 * saved state when the file up to it is unchanged.
 */
final class ImportRun {
    /** Tandem's limit for one event (32 KB); a larger event would only be refused there. */
    static final int MAX_EVENT_BYTES = 32 * 1024;

    /**
     * @param delimiter the CSV delimiter, or -1 for JSON Lines
     * @param maxRows   rows to read in this run, 0 for all
     */
    record Settings(
            Path file,
            ImportMapping mapping,
            int delimiter,
            String source,
            Path state,
            Path report,
            int batchSize,
            int connections,
            int maxRowBytes,
            long maxRows) {}

    /**
     * @param counts    every row so far, this run and the runs it continues
     * @param resumedAt the line this run started from when it continued an interrupted import, else 0
     * @param stopped   whether it stopped at {@code maxRows} before the end of the file
     * @param nextLine  the line the next run starts from, when stopped
     */
    record Outcome(
            ImportState.Counts counts,
            long rowsThisRun,
            long resumedAt,
            boolean stopped,
            long nextLine,
            List<ImportReport.Rejected> shown,
            boolean reportWritten) {}

    private final Settings settings;
    private final ImportSender sender;
    private final PrintWriter err;
    private final boolean terminal;
    private final ObjectMapper mapper;
    private final ObjectReader jsonLine;
    private final byte[] idSeed;
    private final java.security.MessageDigest idDigest = ImportRows.sha256();
    private final ArrayDeque<ImportBatch> inFlight = new ArrayDeque<>();
    private ImportState.Counts counts = ImportState.Counts.NONE;
    private ImportReport report;
    private ImportProgress progress;
    private boolean anyRejected;

    /** @param sender where batches go, or null for a dry run that sends nothing and saves no state */
    ImportRun(Settings settings, ImportSender sender, ObjectMapper mapper, PrintWriter err, boolean terminal) {
        this.settings = settings;
        this.sender = sender;
        this.err = err;
        this.terminal = terminal;
        this.mapper = mapper;
        this.jsonLine = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.idSeed = (settings.source() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    Outcome run() throws IOException, InterruptedException {
        Path file = settings.file();
        ImportState start = resumable();
        counts = start == null ? ImportState.Counts.NONE : start.counts();
        boolean csv = settings.delimiter() >= 0;
        ImportRows rows = new ImportRows(file, settings.delimiter(), settings.maxRowBytes(), 0, 1);
        try (ImportReport report = new ImportReport(settings.report(), start != null)) {
            this.report = report;
            List<String> header = null;
            if (csv) {
                header = settings.mapping().columns().isEmpty()
                        ? header(rows)
                        : settings.mapping().columns();
                if (header == null) {
                    rows.close();
                    return new Outcome(counts, 0, 0, false, 0, List.of(), false);
                }
            }
            if (start != null) {
                rows.close();
                rows = new ImportRows(file, settings.delimiter(), settings.maxRowBytes(), start.offset(), start.line());
            }
            RowMapper mapping = new RowMapper(settings.mapping(), header);
            progress = new ImportProgress(err, Files.size(file), counts.rows(), terminal);
            long read = 0;
            boolean stopped = false;
            ImportBatch batch = new ImportBatch();
            for (ImportRows.Row row; ; ) {
                if (settings.maxRows() > 0 && read >= settings.maxRows()) {
                    stopped = true;
                    break;
                }
                if ((row = rows.next()) == null) {
                    break;
                }
                read++;
                add(batch, row, mapping, csv);
                if (batch.full(settings.batchSize())) {
                    dispatch(batch, rows);
                    batch = new ImportBatch();
                }
            }
            if (!batch.isEmpty()) {
                dispatch(batch, rows);
            }
            while (!inFlight.isEmpty()) {
                complete(inFlight.poll());
            }
            progress.finish(rows.offset(), counts.rows(), counts.rejected());
            if (!stopped && sender != null) {
                ImportState.delete(settings.state());
            }
            return new Outcome(
                    counts, read, start == null ? 0 : start.line(), stopped, rows.line(), report.first(), anyRejected);
        } finally {
            rows.close();
        }
    }

    /** The saved state to continue from, or null to start at the top. */
    private ImportState resumable() throws IOException {
        if (sender == null) {
            return null;
        }
        Optional<ImportState> saved = ImportState.load(settings.state());
        if (saved.isEmpty()) {
            return null;
        }
        ImportState state = saved.get();
        if (!state.source().equals(settings.source())) {
            throw new CommandFailure("The state file " + settings.state() + " belongs to an import into source '"
                    + state.source() + "'; finish that one, delete the file, or pass --state with another path.");
        }
        if (!state.prefix().equals(ImportRows.prefixHash(settings.file(), state.offset()))) {
            err.println("The file changed since the interrupted import; importing it from the top "
                    + "(rows imported before are recognised by their messageId and not stored twice).");
            return null;
        }
        return state;
    }

    private List<String> header(ImportRows rows) throws IOException {
        ImportRows.Row first = rows.next();
        if (first == null) {
            return null;
        }
        if (first.bytes() == null) {
            throw new CommandFailure("The header row is longer than --max-row-bytes (" + settings.maxRowBytes()
                    + "); is this a CSV file with one row per line?");
        }
        List<String> names = new ArrayList<>();
        try {
            for (String name : CsvFields.split(CsvFields.text(first.bytes()), (char) settings.delimiter())) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty() && names.contains(trimmed)) {
                    throw new CommandFailure("The header names the column '" + trimmed
                            + "' twice; rename one, or name the columns in the mapping's 'columns'.");
                }
                names.add(trimmed);
            }
        } catch (RowRefused e) {
            throw new CommandFailure("The header row (line 1) cannot be read: " + e.getMessage());
        }
        return names;
    }

    private void add(ImportBatch batch, ImportRows.Row row, RowMapper mapping, boolean csv) {
        try {
            if (row.bytes() == null) {
                throw new RowRefused(
                        "row_too_large",
                        "The row is longer than " + settings.maxRowBytes() + " bytes"
                                + (csv ? "; if it is not, a quote opened on this line may never be closed." : "."),
                        null);
            }
            String text = CsvFields.text(row.bytes());
            ObjectNode event =
                    csv ? mapping.csv(CsvFields.split(text, (char) settings.delimiter())) : mapping.json(parse(text));
            if (!event.hasNonNull("messageId")) {
                event.put("messageId", messageId(row));
            }
            byte[] json = mapper.writeValueAsBytes(event);
            if (json.length > MAX_EVENT_BYTES) {
                throw new RowRefused(
                        "event_too_large",
                        "The event made of this row is " + json.length + " bytes; Tandem takes at most "
                                + MAX_EVENT_BYTES + " (32 KB) per event. Map fewer columns into it.",
                        null);
            }
            batch.add(row.line(), json);
        } catch (RowRefused e) {
            batch.refuse(new ImportReport.Rejected(row.line(), e.code(), e.column(), e.getMessage()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event built from a row could not be written as JSON", e);
        }
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String text) {
        try {
            return jsonLine.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at column " + e.getLocation().getColumnNr();
            throw new RowRefused(
                    "invalid_json", "The line is not valid JSON" + where + ": " + e.getOriginalMessage() + ".", null);
        }
    }

    /** Why these bytes: the same row at the same line of the same source is the same event, whatever the run. */
    private String messageId(ImportRows.Row row) {
        var digest = idDigest;
        digest.reset();
        digest.update(idSeed);
        digest.update(Long.toString(row.line()).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) '\n');
        digest.update(row.bytes());
        return "import-" + HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    private void dispatch(ImportBatch batch, ImportRows rows) throws InterruptedException {
        batch.end(rows.offset(), rows.line(), rows.hashSoFar());
        if (batch.events() > 0 && sender != null) {
            batch.sent(sender.send(batch.body()));
        }
        inFlight.add(batch);
        while (inFlight.size() > settings.connections()) {
            complete(inFlight.poll());
        }
    }

    private void complete(ImportBatch batch) throws InterruptedException {
        ImportSender.Receipt receipt = null;
        if (batch.receipt() != null) {
            try {
                receipt = batch.receipt().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException("Sending a batch failed", e.getCause());
            }
        }
        List<ImportReport.Rejected> rejected = new ArrayList<>(batch.refused());
        long imported = batch.events();
        long duplicates = 0;
        if (receipt != null) {
            for (ImportSender.Refused r : receipt.refused()) {
                rejected.add(new ImportReport.Rejected(
                        batch.line(r.index()), r.code(), r.field(), r.message() + " (kept in Tandem's quarantine)"));
            }
            duplicates = receipt.duplicates();
            imported = receipt.accepted() - receipt.duplicates();
        }
        rejected.sort(Comparator.comparingLong(ImportReport.Rejected::line));
        rejected.forEach(report::add);
        anyRejected |= !rejected.isEmpty();
        report.flush();
        counts = counts.plus(batch.rows(), imported, duplicates, rejected.size());
        if (sender != null) {
            new ImportState(settings.source(), batch.endOffset(), batch.endLine(), batch.prefix(), counts)
                    .save(settings.state());
        }
        progress.update(batch.endOffset(), counts.rows(), counts.rejected());
    }
}
