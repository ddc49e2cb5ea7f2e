package dev.tandem.collect;

import dev.tandem.error.Unavailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Refuses new events with 503 while the disk holding the embedded store has less free space
 * than the reserve, so Tandem stops acknowledging before SQLite fails mid-write. The free space
 * is read at most once a second: statfs per request would cost more than the check is worth.
 */
public final class DiskGuard {
    private final Path directory;
    private final long reserveBytes;
    private volatile long checkedAtNanos;
    private volatile boolean low;

    /** @param directory null disables the guard (PostgreSQL keeps its own disk) */
    public DiskGuard(Path directory, long reserveBytes) {
        this.directory = directory;
        this.reserveBytes = reserveBytes;
        this.checkedAtNanos = System.nanoTime() - Duration.ofSeconds(2).toNanos();
    }

    void check() {
        if (isLow()) {
            throw new Unavailable(
                    "disk_full",
                    "The disk holding " + directory + " has less than " + (reserveBytes >> 20)
                            + " MB free; events are refused until space is freed.",
                    Duration.ofSeconds(30),
                    false,
                    null);
        }
    }

    /** True while the disk is below the reserve, measured at most once a second (from the first call on, not the first event). */
    public boolean isLow() {
        if (directory == null) {
            return false;
        }
        long now = System.nanoTime();
        if (now - checkedAtNanos > 1_000_000_000L) {
            checkedAtNanos = now;
            try {
                low = Files.getFileStore(directory).getUsableSpace() < reserveBytes;
            } catch (IOException e) {
                low = false;
            }
        }
        return low;
    }
}
