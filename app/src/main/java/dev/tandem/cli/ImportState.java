package dev.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.config.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where an import stands, saved beside the input (or at {@code --state}) after every batch Tandem
 * acknowledged, so that an interrupted import continues where it stopped: the byte offset and line
 * after the last acknowledged row, the SHA-256 of the file up to there (to notice a changed file),
 * and the counts so far. Deleted once the import is complete.
 *
 * @param source  the source imported into
 * @param offset  bytes of the file done
 * @param line    the line number at {@code offset}
 * @param prefix  SHA-256 in hex of the first {@code offset} bytes
 * @param counts  rows read, imported, already there, refused
 */
record ImportState(String source, long offset, long line, String prefix, Counts counts) {

    /** Rows so far: read, accepted as new events, accepted as duplicates of events stored before, and refused. */
    record Counts(long rows, long imported, long duplicates, long rejected) {
        static final Counts NONE = new Counts(0, 0, 0, 0);

        Counts plus(long rows, long imported, long duplicates, long rejected) {
            return new Counts(
                    this.rows + rows, this.imported + imported, this.duplicates + duplicates, this.rejected + rejected);
        }
    }

    static Optional<ImportState> load(Path file) {
        try {
            JsonNode node = Json.mapper().readTree(Files.readString(file));
            return Optional.of(new ImportState(
                    node.path("source").asText(),
                    node.path("offset").asLong(),
                    node.path("line").asLong(1),
                    node.path("prefixSha256").asText(),
                    new Counts(
                            node.path("rows").asLong(),
                            node.path("imported").asLong(),
                            node.path("duplicates").asLong(),
                            node.path("rejected").asLong())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new CommandFailure("The import state " + file + " cannot be read (" + e.getMessage()
                    + "); delete it to import from the start (rows imported before are skipped by their messageId).");
        }
    }

    /** Writes the state to a temporary file and moves it over the old one, so a crash leaves one or the other. */
    void save(Path file) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("source", source);
        node.put("offset", offset);
        node.put("line", line);
        node.put("prefixSha256", prefix);
        node.put("rows", counts.rows());
        node.put("imported", counts.imported());
        node.put("duplicates", counts.duplicates());
        node.put("rejected", counts.rejected());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, node.toPrettyString());
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CommandFailure("Cannot write the import state " + file + " (" + e.getMessage()
                    + "); pass --state with a writable path.");
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CommandFailure("Cannot delete the import state " + file + " (" + e.getMessage()
                    + "); delete it yourself, or the next import of this file resumes from it.");
        }
    }
}
