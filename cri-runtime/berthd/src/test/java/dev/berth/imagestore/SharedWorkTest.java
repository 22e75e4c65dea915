package dev.berth.imagestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedWorkTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SharedWork<String, String> work = new SharedWork<>(executor);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
    }

    private String blockUntilReleased() throws InterruptedException {
        runs.incrementAndGet();
        try {
            release.await();
            return "done";
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
        }
    }

    @Test
    void concurrentCallersShareOneRunAndOneLeavingKeepsItForTheOther() throws Exception {
        SharedWork<String, String>.Share first = work.join("k", this::blockUntilReleased);
        SharedWork<String, String>.Share second = work.join("k", this::blockUntilReleased);

        first.leave();
        assertThatThrownBy(first::await).isInstanceOf(CancellationException.class);
        release.countDown();

        assertThat(second.await()).isEqualTo("done");
        assertThat(runs).hasValue(1);
        assertThat(interrupted.getCount()).isOne();
    }

    @Test
    void lastCallerLeavingInterruptsTheWorkAndTheNextCallerStartsAfresh() throws Exception {
        SharedWork<String, String>.Share gone = work.join("k", this::blockUntilReleased);
        while (runs.get() == 0) {
            Thread.sleep(5);
        }

        gone.leave();

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        SharedWork<String, String>.Share fresh = work.join("k", () -> "again");
        assertThat(fresh.await()).isEqualTo("again");
    }

    @Test
    void leavingAfterTheWorkIsDoneChangesNothing() throws Exception {
        SharedWork<String, String>.Share share = work.join("k", () -> "done");
        assertThat(share.await()).isEqualTo("done");

        share.leave();

        assertThat(share.await()).isEqualTo("done");
    }
}
