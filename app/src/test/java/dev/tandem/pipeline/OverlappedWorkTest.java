package dev.tandem.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A stage's work started in process and joined in write: its failures reach the write, and a discarded batch's work never outlives it. */
class OverlappedWorkTest {
    @Test
    void runsOnItsOwnThreadAndJoinSeesWhatItDid() {
        try (OverlappedWork work = new OverlappedWork("test-ahead")) {
            AtomicReference<String> thread = new AtomicReference<>();
            int[] value = {0};
            work.start(() -> {
                thread.set(Thread.currentThread().getName());
                value[0] = 42;
            });
            work.join();
            assertThat(thread.get()).isEqualTo("test-ahead");
            assertThat(value[0]).isEqualTo(42);
            work.join(); // nothing started: nothing to wait for
        }
    }

    @Test
    void aFailureIsThrownByJoinAsItWasThrown() {
        try (OverlappedWork work = new OverlappedWork("test-ahead")) {
            work.start(() -> {
                throw new IllegalArgumentException("bad condition");
            });
            assertThatThrownBy(work::join)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad condition");
            work.start(() -> {}); // the next batch starts afresh
            work.join();
        }
    }

    @Test
    void forgetWaitsForWorkStillRunningAndDropsItsFailure() throws Exception {
        try (OverlappedWork work = new OverlappedWork("test-ahead")) {
            AtomicBoolean finished = startSlow(work, () -> {
                throw new IllegalStateException("discarded anyway");
            });
            work.forget();
            assertThat(finished).isTrue();
        }
    }

    @Test
    void anInterruptDoesNotCutTheWaitShort() throws Exception {
        try (OverlappedWork work = new OverlappedWork("test-ahead")) {
            AtomicBoolean finished = startSlow(work, () -> {});
            Thread.currentThread().interrupt();
            work.join();
            assertThat(Thread.interrupted()).as("the flag is set again").isTrue();
            assertThat(finished).isTrue();
            work.start(() -> {}); // joined: the next batch may start
            work.join();
        }
    }

    @Test
    void startingTwiceWithoutJoiningIsRefused() {
        try (OverlappedWork work = new OverlappedWork("test-ahead")) {
            work.start(() -> {});
            assertThatThrownBy(() -> work.start(() -> {})).isInstanceOf(IllegalStateException.class);
            work.forget();
        }
    }

    @Test
    void onceClosedTheWorkRunsOnTheCallersThread() {
        OverlappedWork work = new OverlappedWork("test-ahead");
        work.close();
        AtomicReference<String> thread = new AtomicReference<>();
        work.start(() -> thread.set(Thread.currentThread().getName()));
        work.join();
        assertThat(thread.get()).isEqualTo(Thread.currentThread().getName());
    }

    /** Starts work that sleeps 200 ms, marks itself finished, then runs {@code last}; returns once it runs. */
    private static AtomicBoolean startSlow(OverlappedWork work, Runnable last) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        work.start(() -> {
            started.countDown();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.set(true);
            last.run();
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        return finished;
    }
}
