package dev.berth.container;

import dev.berth.cgroup.CgroupManager;
import dev.berth.runtime.ContainerRuntime;
import java.io.IOException;
import java.util.Optional;

/**
 * Signals a runc (or crun) container from berthd itself, as {@code runc kill} would, without the runtime process
 * each {@code kill} costs (11-40 ms here under load). Only for runtimes whose container init is a host process in
 * the container's cgroup; a VM-based runtime's recorded pid is its hypervisor, so every other runtime is asked
 * through its own {@code kill}, as is a signal {@link ProcessHandle} cannot send.
 */
final class ContainerSignals {

    private final CgroupManager cgroups;

    ContainerSignals(CgroupManager cgroups) {
        this.cgroups = cgroups;
    }

    /**
     * Sends SIGTERM or SIGKILL to the container's init; false when this cannot be done here and the runtime must.
     * The process is pinned by its handle (which checks the start time when it signals) before its membership of
     * the container's cgroup is checked, so a pid reused by an unrelated process is never hit.
     */
    boolean signalInit(ContainerRecord record, ContainerRuntime runtime, int signal) throws IOException {
        int pid = record.status().pid();
        if (pid <= 0 || !hostProcesses(runtime) || (signal != Signals.SIGTERM && signal != Signals.SIGKILL)) {
            return false;
        }
        Optional<ProcessHandle> init = ProcessHandle.of(pid);
        if (init.isEmpty() || !inContainerCgroup(record, pid)) {
            return false;
        }
        return signal == Signals.SIGKILL
                ? init.get().destroyForcibly()
                : init.get().destroy();
    }

    /** SIGKILLs every process in the container's cgroup, waiting until it is empty; false: ask the runtime. */
    boolean killAll(ContainerRecord record, ContainerRuntime runtime) throws IOException {
        if (!hostProcesses(runtime) || record.cgroupPath() == null || !cgroups.exists(record.cgroupPath())) {
            return false;
        }
        cgroups.killAll(record.cgroupPath());
        return true;
    }

    private boolean inContainerCgroup(ContainerRecord record, int pid) throws IOException {
        return record.cgroupPath() != null
                && cgroups.exists(record.cgroupPath())
                && cgroups.pids(record.cgroupPath()).contains(pid);
    }

    private static boolean hostProcesses(ContainerRuntime runtime) {
        String name = runtime.binary().getFileName().toString();
        return name.startsWith("runc") || name.startsWith("crun");
    }
}
