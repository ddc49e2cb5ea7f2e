package dev.tandem.cli;

import java.io.PrintWriter;

/**
 * The progress of an import on stderr: a bar of the bytes done, rows done and rows per second.
 * On a terminal one line is redrawn at most five times a second; elsewhere (a log, a pipe) a line
 * is printed every five seconds. The last state is always printed when the import ends.
 */
final class ImportProgress {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long totalBytes;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final long rowsBefore;
    private long lastPrint;
    private long lastRows = -1;

    /** @param rowsBefore rows done by an earlier run of a resumed import, not counted in the rate */
    ImportProgress(PrintWriter err, long totalBytes, long rowsBefore, boolean terminal) {
        this.err = err;
        this.totalBytes = totalBytes;
        this.rowsBefore = rowsBefore;
        this.terminal = terminal;
    }

    void update(long bytesDone, long rowsDone, long rejected) {
        long now = System.nanoTime();
        if (now - lastPrint < (terminal ? 200_000_000L : 5_000_000_000L)) {
            return;
        }
        lastPrint = now;
        print(bytesDone, rowsDone, rejected, false);
    }

    void finish(long bytesDone, long rowsDone, long rejected) {
        if (terminal || rowsDone != lastRows) {
            print(bytesDone, rowsDone, rejected, true);
        }
    }

    private void print(long bytesDone, long rowsDone, long rejected, boolean last) {
        int percent = totalBytes == 0 ? 100 : (int) Math.min(100, bytesDone * 100 / totalBytes);
        int filled = percent * WIDTH / 100;
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        String line = String.format(
                "[%s%s] %3d%%  %,d rows  %,.0f rows/s  %,d rejected",
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                percent,
                rowsDone,
                (rowsDone - rowsBefore) / seconds,
                rejected);
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
        lastRows = rowsDone;
    }
}
