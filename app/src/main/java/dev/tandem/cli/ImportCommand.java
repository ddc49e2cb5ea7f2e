package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.config.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem import FILE --source S --mapping M}: turns each row of a CSV or JSON Lines file
 * into an event and sends it through Tandem's tracking API, as the source's SDK would. See
 * docs/import.md for the mapping file.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import a CSV or JSON Lines file as events of a source, one event per row, as a mapping file says.",
            "Rows that cannot be imported are listed with their line and reason in a report. An interrupted import",
            "continues where it stopped when run again; a file imported twice is stored once.",
            "Exit code: 0 every row imported, 1 some rows rejected (see the report), 2 the import failed or was refused."
        })
final class ImportCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "the CSV (.csv, .tsv) or JSON Lines (.jsonl, .ndjson) file")
    Path file;

    @Option(names = "--source", required = true, description = "the source the events belong to, such as crm")
    String source;

    @Option(
            names = "--mapping",
            required = true,
            description = "the mapping file (YAML): which column gives which event field")
    Path mapping;

    @Option(names = "--write-key", description = "the source's write key (default: looked up with the admin token)")
    String writeKey;

    @Mixin
    ServerOptions server;

    @Option(
            names = "--state",
            description = "where to keep the progress of the import (default: FILE.import-state.json)")
    Path state;

    @Option(names = "--report", description = "where to list the rejected rows (default: FILE.rejected.csv)")
    Path report;

    @Option(
            names = "--batch",
            defaultValue = "500",
            description = "rows per request (default: ${DEFAULT-VALUE}, at most 2500)")
    int batch;

    @Option(
            names = "--connections",
            defaultValue = "4",
            description = "requests on their way at once (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(
            names = "--max-rows",
            defaultValue = "0",
            description = "stop after this many rows, to try a mapping; run again to continue (default: all)")
    long maxRows;

    @Option(
            names = "--max-row-bytes",
            defaultValue = "1048576",
            description = "a longer row is rejected (default: ${DEFAULT-VALUE})")
    int maxRowBytes;

    @Option(names = "--dry-run", description = "map and check every row and write the report, but send nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (batch < 1 || batch > 2_500 || connections < 1 || connections > 64 || maxRowBytes < 1_024 || maxRows < 0) {
            throw new CommandFailure(
                    "--batch must be 1 to 2500, --connections 1 to 64, --max-row-bytes at least 1024 and --max-rows not negative.");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CommandFailure("Cannot read " + file + "; pass the path of a CSV or JSON Lines file.");
        }
        ImportMapping rules = ImportMapping.read(mapping);
        ImportMapping.Format format = rules.format() != null ? rules.format() : formatOf(file);
        PrintWriter err = spec.commandLine().getErr();
        ImportRun.Settings settings = new ImportRun.Settings(
                file,
                rules,
                format == ImportMapping.Format.CSV ? rules.delimiter() : -1,
                source,
                state != null ? state : beside(".import-state.json"),
                report != null ? report : beside(".rejected.csv"),
                batch,
                connections,
                maxRowBytes,
                maxRows);
        long started = System.nanoTime();
        ImportRun.Outcome outcome;
        if (dryRun) {
            outcome = new ImportRun(settings, null, Json.mapper(), err, terminal()).run();
        } else {
            try (ImportSender sender = new ImportSender(Json.mapper(), server.server, writeKey(), connections, err)) {
                outcome = new ImportRun(settings, sender, Json.mapper(), err, terminal()).run();
            }
        }
        print(outcome, settings, (System.nanoTime() - started) / 1e9);
        return outcome.counts().rejected() > 0 ? 1 : 0;
    }

    private void print(ImportRun.Outcome o, ImportRun.Settings settings, double seconds) {
        var c = o.counts();
        if (c.rows() == 0 && !o.stopped()) {
            System.out.println(file + " holds no rows; nothing to import.");
            return;
        }
        if (o.resumedAt() > 0) {
            System.out.printf("Continued the interrupted import at line %,d.%n", o.resumedAt());
        }
        System.out.printf(
                Locale.ROOT,
                "%s %s into source '%s': %,d rows, %,d %s, %,d already imported before, %,d rejected "
                        + "(%,d rows in %.1f s, %,.0f rows/s).%n",
                dryRun ? "Dry run of" : o.stopped() ? "Partly imported" : "Imported",
                file.getFileName(),
                source,
                c.rows(),
                c.imported(),
                dryRun ? "would be sent" : "new events",
                c.duplicates(),
                c.rejected(),
                o.rowsThisRun(),
                seconds,
                o.rowsThisRun() / Math.max(1e-3, seconds));
        if (c.rejected() > 0) {
            System.out.println("Rejected rows" + (o.reportWritten() ? ", all listed in " + settings.report() : "")
                    + " (line, reason):");
            for (ImportReport.Rejected r : o.shown()) {
                System.out.printf("  line %,d: %s: %s%n", r.line(), r.code(), r.message());
            }
            if (c.rejected() > o.shown().size()) {
                System.out.printf(
                        "  ... and %,d more%n", c.rejected() - o.shown().size());
            }
        }
        if (o.stopped()) {
            System.out.printf(
                    "Stopped after %,d rows as --max-rows asked; run the same command again to continue at line %,d.%n",
                    o.rowsThisRun(), o.nextLine());
        }
    }

    private String writeKey() {
        if (writeKey != null) {
            return writeKey;
        }
        String token = server.token != null ? server.token : System.getenv("TANDEM_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            throw new CommandFailure("Pass the write key of source '" + source
                    + "' with --write-key, or an admin token " + "(--token or TANDEM_ADMIN_TOKEN) to look it up.");
        }
        JsonNode sources = server.client().get("/v1/admin/sources").path("sources");
        List<String> names = new ArrayList<>();
        for (JsonNode s : sources) {
            if (s.path("name").asText().equals(source)) {
                return s.path("writeKey").asText();
            }
            names.add(s.path("name").asText());
        }
        throw new CommandFailure("No source is named '" + source + "'; the sources are " + names
                + ". Add it with 'tandem sources add --name " + source + "'.");
    }

    private static ImportMapping.Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return ImportMapping.Format.CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return ImportMapping.Format.JSONL;
        }
        throw new CommandFailure("Cannot tell from its name whether " + file
                + " is CSV or JSON Lines; say 'format: csv' or 'format: jsonl' in the mapping.");
    }

    private Path beside(String suffix) {
        Path absolute = file.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + suffix);
    }

    private static boolean terminal() {
        return System.console() != null && System.getenv("TERM") != null;
    }
}
