package dev.berth.container;

import dev.berth.cgroup.CgroupManager;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Monitor;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.store.CleanupSteps;
import dev.berth.store.Directories;
import dev.berth.store.RecordStore;
import dev.berth.store.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes every trace of a container, whatever state it got to: its processes, the runc state, conmon,
 * the cgroup, the rootfs mount and writable layer, the bundle, the record and its image lease. Each step
 * tolerates what an earlier crash already removed, so it is safe to repeat.
 */
public final class ContainerTeardown {

    private static final Logger log = LoggerFactory.getLogger(ContainerTeardown.class);

    private final RecordStore<ContainerRecord> store;
    private final RuntimeHandlers runtimes;
    private final CgroupManager cgroups;
    private final ContainerRootfs rootfs;
    private final ContainerPaths paths;
    private final ContainerLeases leases;
    private final Monitor conmon;

    public ContainerTeardown(
            RecordStore<ContainerRecord> store,
            RuntimeHandlers runtimes,
            CgroupManager cgroups,
            ContainerRootfs rootfs,
            ContainerPaths paths,
            ContainerLeases leases,
            Monitor conmon) {
        this.store = store;
        this.runtimes = runtimes;
        this.cgroups = cgroups;
        this.rootfs = rootfs;
        this.paths = paths;
        this.leases = leases;
        this.conmon = conmon;
    }

    public void remove(ContainerRecord record) throws IOException {
        remove(record, "removing the container failed");
    }

    /**
     * Every step runs even when one fails; the record and the image lease go only once all succeeded. Until then
     * the record stays, EXITED with {@code context} and the failure, for RemoveContainer or the next start to retry.
     */
    public void remove(ContainerRecord record, String context) throws IOException {
        String id = record.id();
        CleanupSteps steps = new CleanupSteps();
        Optional<ContainerRuntime> runtime = runtimes.find(record.runtimeHandler());
        // a stopped container's conmon is already gone; one still there (a create cut short, a container never
        // started) goes with everything it runs before the runtime forgets the container
        boolean monitorGone = steps.run("conmon", () -> conmon.killMonitor(paths.persist(id)));
        if (runtime.isPresent()) {
            steps.run("runtime delete", () -> runtime.get().delete(id, true));
        }
        steps.run("container cgroup", () -> {
            if (record.cgroupPath() != null && cgroups.exists(record.cgroupPath())) {
                cgroups.killAll(record.cgroupPath());
                cgroups.remove(record.cgroupPath());
            }
        });
        boolean unmounted = steps.run("rootfs", () -> rootfs.remove(id));
        // the bundle holds the rootfs mount point and conmon's pid file: a retry needs both while either is stuck
        if (monitorGone && unmounted) {
            steps.run("bundle", () -> Directories.deleteRecursively(paths.bundle(id)));
        }
        // conmon's link to the bundle's attach socket, which conmon never removes itself
        steps.run(
                "attach socket link", () -> Files.deleteIfExists(paths.sockets().resolve(id)));
        steps.run("exit file", () -> Files.deleteIfExists(paths.exits().resolve(id)));
        try {
            steps.finish();
        } catch (IOException e) {
            keepForRetry(record, context + ": " + CleanupSteps.describe(e));
            throw e;
        }
        store.remove(id);
        leases.release(id);
        log.info("removed container {} of pod {}", id, record.sandboxId());
        log.debug("container {} of pod {} RemoveContainer phases ms: {}", id, record.sandboxId(), steps.phases());
    }

    /** The record as it is now, with the error: a record already forgotten is not brought back. */
    private void keepForRetry(ContainerRecord record, String error) {
        ContainerRecord current = store.get(record.id()).orElse(record);
        log.warn("container {} of pod {} kept until its removal succeeds: {}", record.id(), record.sandboxId(), error);
        try {
            store.put(current.teardownFailed(Timestamps.nowNanos(), error));
        } catch (IOException e) {
            log.warn("container {}: recording its failed removal failed too: {}", record.id(), e.toString());
        }
    }
}
