package dev.berth.container;

import dev.berth.cgroup.CgroupManager;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Monitor;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.store.Directories;
import dev.berth.store.RecordStore;
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
        String id = record.id();
        Optional<ContainerRuntime> runtime = runtimes.find(record.runtimeHandler());
        // a stopped container's conmon is already gone; one still there (a create cut short, a container never
        // started) goes with everything it runs before the runtime forgets the container
        conmon.killMonitor(paths.persist(id));
        if (runtime.isPresent()) {
            runtime.get().delete(id, true);
        }
        if (record.cgroupPath() != null && cgroups.exists(record.cgroupPath())) {
            cgroups.killAll(record.cgroupPath());
            cgroups.remove(record.cgroupPath());
        }
        rootfs.remove(id);
        Directories.deleteRecursively(paths.bundle(id));
        // conmon's link to the bundle's attach socket, which conmon never removes itself
        Files.deleteIfExists(paths.sockets().resolve(id));
        Files.deleteIfExists(paths.exits().resolve(id));
        store.remove(id);
        leases.release(id);
        log.info("removed container {} of pod {}", id, record.sandboxId());
    }
}
