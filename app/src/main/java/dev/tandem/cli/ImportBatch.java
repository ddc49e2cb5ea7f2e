package dev.tandem.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The rows of one request being put together or on its way: the events' JSON, the line of each,
 * the rows refused before sending, and where the file stands after its last row, which becomes the
 * saved state once Tandem has acknowledged it and every batch before it.
 */
final class ImportBatch {
    /** Tandem's body limit is 500 KB; a batch is sent before it could pass this. */
    static final int MAX_BYTES = 450 * 1024;

    private static final byte[] END = "],\"context\":{\"library\":{\"name\":\"tandem-import\",\"version\":\"0.1.0\"}}}"
            .getBytes(StandardCharsets.UTF_8);

    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private final List<Long> lines = new ArrayList<>();
    private final List<ImportReport.Rejected> refused = new ArrayList<>();
    private int rows;
    private long endOffset;
    private long endLine;
    private String prefix;
    private Future<ImportSender.Receipt> sent;

    ImportBatch() {
        body.writeBytes("{\"batch\":[".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether to send the batch now: it has {@code maxRows} rows, or one more event of the largest
     * size Tandem takes could take it past {@link #MAX_BYTES}. Why decide after a row rather than
     * before: the saved state must end exactly after the batch's last row, and the reader is there now.
     */
    boolean full(int maxRows) {
        return rows >= maxRows || body.size() + ImportRun.MAX_EVENT_BYTES + END.length > MAX_BYTES;
    }

    void add(long line, byte[] event) {
        if (!lines.isEmpty()) {
            body.write(',');
        }
        body.writeBytes(event);
        lines.add(line);
        rows++;
    }

    void refuse(ImportReport.Rejected rejected) {
        refused.add(rejected);
        rows++;
    }

    /** Where the file stands after this batch's last row. */
    void end(long offset, long line, String prefix) {
        this.endOffset = offset;
        this.endLine = line;
        this.prefix = prefix;
    }

    boolean isEmpty() {
        return rows == 0;
    }

    int events() {
        return lines.size();
    }

    byte[] body() {
        body.writeBytes(END);
        return body.toByteArray();
    }

    long line(int index) {
        return lines.get(index);
    }

    List<ImportReport.Rejected> refused() {
        return refused;
    }

    int rows() {
        return rows;
    }

    long endOffset() {
        return endOffset;
    }

    long endLine() {
        return endLine;
    }

    String prefix() {
        return prefix;
    }

    void sent(Future<ImportSender.Receipt> receipt) {
        this.sent = receipt;
    }

    /** Tandem's receipt, or null for a batch of refused rows only, which is never sent. */
    Future<ImportSender.Receipt> receipt() {
        return sent;
    }
}
