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
    private final SharedWork<String, Void, String> work = new SharedWork<>(executor);
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
        SharedWork<String, Void, String>.Share first = work.join("k", () -> null, none -> this::blockUntilReleased);
        SharedWork<String, Void, String>.Share second = work.join("k", () -> null, none -> this::blockUntilReleased);

        first.leave();
        assertThatThrownBy(first::await).isInstanceOf(CancellationException.class);
        release.countDown();

        assertThat(second.await()).isEqualTo("done");
        assertThat(runs).hasValue(1);
        assertThat(interrupted.getCount()).isOne();
    }

    @Test
    void lastCallerLeavingInterruptsTheWorkAndTheNextCallerStartsAfresh() throws Exception {
        SharedWork<String, Void, String>.Share gone = work.join("k", () -> null, none -> this::blockUntilReleased);
        while (runs.get() == 0) {
            Thread.sleep(5);
        }

        gone.leave();

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        SharedWork<String, Void, String>.Share fresh = work.join("k", () -> null, none -> () -> "again");
        assertThat(fresh.await()).isEqualTo("again");
    }

    @Test
    void leavingAfterTheWorkIsDoneChangesNothing() throws Exception {
        SharedWork<String, Void, String>.Share share = work.join("k", () -> null, none -> () -> "done");
        assertThat(share.await()).isEqualTo("done");

        share.leave();

        assertThat(share.await()).isEqualTo("done");
    }

    @Test
    void callersJoiningARunShareItsCompanionAndAFreshRunMakesANewOne() throws Exception {
        SharedWork<String, Object, String> tracked = new SharedWork<>(executor);
        SharedWork<String, Object, String>.Share first = tracked.join("k", Object::new, c -> this::blockUntilReleased);
        SharedWork<String, Object, String>.Share second = tracked.join("k", Object::new, c -> this::blockUntilReleased);

        assertThat(second.companion()).isSameAs(first.companion());
        release.countDown();
        assertThat(first.await()).isEqualTo("done");
        while (tracked.join("k", Object::new, c -> () -> "again").companion() == first.companion()) {
            Thread.sleep(5); // the finished run is forgotten just after its result is out
        }
    }
}
