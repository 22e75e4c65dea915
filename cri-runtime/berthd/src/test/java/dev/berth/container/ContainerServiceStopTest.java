package dev.berth.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.FakeRuntime;
import dev.berth.testing.TestRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StopContainer and RemoveContainer over a fake runtime: which signals go out, when, and what is left. */
class ContainerServiceStopTest {

    private static final int SIGQUIT = 3;
    private static final int SIGKILL = 9;

    @TempDir
    Path dir;

    private ContainerUnitBed bed;
    private ContainerRecord running;

    @BeforeEach
    void setUp() throws IOException {
        bed = new ContainerUnitBed(dir);
        // as an image with STOPSIGNAL SIGQUIT leaves it
        running = TestRecords.container(
                "ctr1", "pod1", "app", 0, "/berth/pod1/ctr1", SIGQUIT, ContainerState.RUNNING, 4242);
        bed.store.put(running);
    }

    @Test
    void stopSendsTheStopSignalThenSigkillOnceTheTimeoutHasPassed() throws IOException {
        // the container ignores SIGQUIT
        long started = System.nanoTime();
        bed.service.stop(running.id(), 1);

        assertThat(bed.runtime.kills)
                .extracting(FakeRuntime.Kill::signal, FakeRuntime.Kill::all)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(SIGQUIT, false),
                        org.assertj.core.groups.Tuple.tuple(SIGKILL, true));
        long waited =
                bed.runtime.kills.get(1).atNanos() - bed.runtime.kills.get(0).atNanos();
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        ContainerRecord stopped = bed.store.get(running.id()).orElseThrow();
        assertThat(stopped.state()).isEqualTo(ContainerState.EXITED);
        assertThat(stopped.status().exitCode()).isEqualTo(128 + SIGKILL);
        assertThat(bed.events).containsExactly("stopped " + running.id());
    }

    @Test
    void aContainerThatEndsOnItsStopSignalGetsNoSigkill() throws IOException {
        bed.runtime.fatalSignals.add(SIGQUIT);

        long started = System.nanoTime();
        bed.service.stop(running.id(), 30);

        assertThat(bed.runtime.kills).extracting(FakeRuntime.Kill::signal).containsExactly(SIGQUIT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(bed.store.get(running.id()).orElseThrow().status().exitCode())
                .isEqualTo(128 + SIGQUIT);
    }

    /** Found by the fuzz: a timeout of Long.MAX_VALUE seconds overflowed into an ArithmeticException (INTERNAL). */
    @Test
    void theLongestTimeoutWaitsForTheStopSignalWithoutOverflowing() throws IOException {
        bed.runtime.fatalSignals.add(SIGQUIT);

        bed.service.stop(running.id(), Long.MAX_VALUE);

        assertThat(bed.runtime.kills).extracting(FakeRuntime.Kill::signal).containsExactly(SIGQUIT);
        assertThat(bed.store.get(running.id()).orElseThrow().status().exitCode())
                .isEqualTo(128 + SIGQUIT);
    }

    @Test
    void aZeroTimeoutKillsAtOnce() throws IOException {
        bed.service.stop(running.id(), 0);

        assertThat(bed.runtime.kills).extracting(FakeRuntime.Kill::signal).containsExactly(SIGKILL);
    }

    @Test
    void stoppingAStoppedOrUnknownContainerSendsNothing() throws IOException {
        bed.service.stop(running.id(), 0);
        bed.runtime.kills.clear();

        bed.service.stop(running.id(), 10);
        bed.service.stop("no-such-container", 10);

        assertThat(bed.runtime.kills).isEmpty();
    }

    @Test
    void removeKillsARunningContainerThenRemovesAllOfIt() throws IOException {
        bed.service.remove(running.id());

        assertThat(bed.runtime.kills).extracting(FakeRuntime.Kill::signal).containsExactly(SIGKILL);
        assertThat(bed.runtime.calls).contains("delete " + running.id());
        assertThat(bed.store.get(running.id())).isEmpty();
        assertThat(bed.paths.bundle(running.id())).doesNotExist();
        assertThat(bed.events).containsExactly("stopped " + running.id(), "deleted " + running.id());
    }

    @Test
    void stopAllAndRemoveAllActOnlyOnThePodsContainers() throws IOException {
        ContainerRecord other = TestRecords.container(
                "ctr2", "pod2", "app", 0, "/berth/pod2/ctr2", SIGQUIT, ContainerState.RUNNING, 4343);
        bed.store.put(other);

        bed.service.stopAll("pod1");
        bed.service.removeAll("pod1");

        assertThat(bed.runtime.kills).extracting(FakeRuntime.Kill::id).containsOnly(running.id());
        assertThat(bed.store.all()).containsExactly(other);
    }
}
