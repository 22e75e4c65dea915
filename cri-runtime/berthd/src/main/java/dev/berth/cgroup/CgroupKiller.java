package dev.berth.cgroup;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGKILLs every process of a cgroup subtree and waits, bounded, until the kernel has taken them out of
 * it. Signals go through {@link ProcessHandle}, which checks the process start time, so a pid recycled
 * between reading cgroup.procs and signalling is never hit.
 */
final class CgroupKiller {

    private static final Logger log = LoggerFactory.getLogger(CgroupKiller.class);

    /** Reads the current pids of the whole subtree (every hierarchy on v1). */
    @FunctionalInterface
    interface PidSource {
        Set<Integer> pids() throws IOException;
    }

    private final Duration timeout;

    CgroupKiller(Duration timeout) {
        this.timeout = timeout;
    }

    /** Refuses a subtree holding berthd itself: killing it would take the runtime down with the pod. */
    static void refuseSelf(String cgroupPath, Set<Integer> pids) throws IOException {
        long self = ProcessHandle.current().pid();
        if (pids.contains((int) self)) {
            throw new IOException(
                    "refusing to kill cgroup " + cgroupPath + ": berthd itself (pid " + self + ") is in it");
        }
    }

    static void signalAll(String cgroupPath, Set<Integer> pids) {
        long self = ProcessHandle.current().pid();
        for (int pid : pids) {
            if (pid != self) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (!pids.isEmpty()) {
            log.debug("cgroup {}: SIGKILL sent to {}", cgroupPath, pids);
        }
    }

    /**
     * Kills (again, each round, in case something forked in between) until the subtree is empty or the
     * deadline passes. {@code signal} false only waits: v2's cgroup.kill has already signalled.
     */
    void killUntilEmpty(String cgroupPath, PidSource source, boolean signal) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // SIGKILLed processes leave within a millisecond or two; a fixed 10 ms poll cost most kills 10 ms
        long pauseMillis = 1;
        while (true) {
            Set<Integer> pids = source.pids();
            if (pids.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("cgroup " + cgroupPath + " still has processes " + pids + " " + timeout.toMillis()
                        + " ms after SIGKILL");
            }
            if (signal) {
                signalAll(cgroupPath, pids);
            }
            CgroupTree.pause(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, CgroupTree.RETRY_PAUSE_MILLIS);
        }
    }
}
