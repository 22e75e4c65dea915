package dev.berth.container;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.Monitor;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.runtime.RuntimeState;
import dev.berth.store.Directories;
import dev.berth.store.RecordStore;
import dev.berth.store.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart (berthd killed at any point): containers that were half-created, or whose removal failed
 * earlier, are removed; the rest are reconciled with what conmon and runc say now; and every container's image
 * layers are leased again before anything may collect garbage.
 */
public final class ContainerRecovery {

    private static final Logger log = LoggerFactory.getLogger(ContainerRecovery.class);

    private final RecordStore<ContainerRecord> store;
    private final ContainerObserver observer;
    private final ContainerTeardown teardown;
    private final RuntimeHandlers runtimes;
    private final ContainerLeases leases;
    private final ContainerPaths paths;
    private final ContainerRootfs rootfs;
    private final Monitor conmon;

    public ContainerRecovery(
            RecordStore<ContainerRecord> store,
            ContainerObserver observer,
            ContainerTeardown teardown,
            RuntimeHandlers runtimes,
            ContainerLeases leases,
            ContainerPaths paths,
            ContainerRootfs rootfs,
            Monitor conmon) {
        this.store = store;
        this.observer = observer;
        this.teardown = teardown;
        this.runtimes = runtimes;
        this.leases = leases;
        this.paths = paths;
        this.rootfs = rootfs;
        this.conmon = conmon;
    }

    /**
     * The part of recovery that must be done before anyone may look: every container's image layers leased again
     * (before garbage collection runs), and each container whose creation was cut short shown EXITED, owing its
     * removal, until {@link #recover} has rolled it back. Nothing here runs a program. Returns the records to recover.
     */
    public List<ContainerRecord> prepare() {
        List<ContainerRecord> records = new ArrayList<>();
        for (ContainerRecord record : store.all()) {
            leases.hold(record.id(), record.metadata().snapshots());
            if (record.state() == ContainerState.CREATING) {
                ContainerRecord owing = record.teardownFailed(
                        Timestamps.nowNanos(), "CreateContainer was cut short by a restart of berthd; rolling it back");
                try {
                    // unsynced: lost with the page cache, the CREATING record it replaces is rolled back all the same
                    store.putTransient(owing);
                    record = owing;
                } catch (IOException e) {
                    log.warn("container {} of pod {}: {}", record.id(), record.sandboxId(), e.toString());
                }
            }
            records.add(record);
        }
        return records;
    }

    /**
     * Rolls back or reconciles one container; a failure is logged and the record kept (EXITED, owing its
     * removal, which RemoveContainer and the next start retry).
     */
    public void recover(ContainerRecord record) {
        try {
            reconcile(store.get(record.id()).orElse(null));
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "container {} of pod {}: recovery failed (its record stays; the next start tries again): {}",
                    record.id(),
                    record.sandboxId(),
                    e.toString());
        }
    }

    /**
     * Runtime containers and bundles no record knows: what a crash between making them and writing the
     * record leaves. Nobody can ask for them any more, so they go.
     */
    public void removeOrphans() throws IOException {
        for (ContainerRuntime runtime : runtimes.runtimes()) {
            for (RuntimeState state : runtime.list()) {
                if (store.get(state.id()).isEmpty()) {
                    log.warn("removing orphaned {} container {} with no berthd record", runtime.binary(), state.id());
                    conmon.killStrays(state.id());
                    runtime.delete(state.id(), true);
                }
            }
        }
        Path bundles = paths.bundles();
        if (Files.isDirectory(bundles)) {
            try (Stream<Path> dirs = Files.list(bundles)) {
                for (Path dir : dirs.toList()) {
                    String id = dir.getFileName().toString();
                    if (store.get(id).isEmpty()) {
                        log.warn("removing orphaned container bundle {}", dir);
                        conmon.killMonitor(paths.persist(id));
                        conmon.killStrays(id);
                        rootfs.remove(id);
                        Directories.deleteRecursively(dir);
                    }
                }
            }
        }
        // links conmon left for containers whose records are gone (earlier releases never removed them)
        Path sockets = paths.sockets();
        if (Files.isDirectory(sockets)) {
            try (Stream<Path> links = Files.list(sockets)) {
                for (Path link : links.toList()) {
                    if (store.get(link.getFileName().toString()).isEmpty()) {
                        Files.deleteIfExists(link);
                    }
                }
            }
        }
    }

    private void reconcile(ContainerRecord record) throws IOException {
        if (record == null) {
            return;
        }
        if (record.owesTeardown() || record.state() == ContainerState.CREATING) {
            log.info(
                    "container {} of pod {}: retrying its removal: {}",
                    record.id(),
                    record.sandboxId(),
                    record.status().teardownError());
            // a create cut short may still have its conmon or runc running, which would remake the cgroup later
            conmon.killStrays(record.id());
            teardown.remove(record, "removing the container failed again at start-up");
            return;
        }
        ContainerRecord current = observer.observe(record);
        if (!current.isLive()) {
            return;
        }
        Optional<ContainerRuntime> runtime = runtimes.find(current.runtimeHandler());
        Optional<RuntimeState> state = runtime.isPresent() ? runtime.get().state(current.id()) : Optional.empty();
        String status = state.map(RuntimeState::status).orElse("missing");
        switch (status) {
            case "running", "paused" -> {
                if (current.state() == ContainerState.CREATED) {
                    // killed between runc start and writing the record: it did start
                    store.put(current.started(Timestamps.nowNanos()));
                }
            }
            case "created" -> {
                // still waiting for StartContainer
            }
            default -> {
                ContainerRecord again = observer.observe(current);
                if (again.isLive()) {
                    log.warn(
                            "container {} of pod {} is gone from the runtime ({}) and conmon left no exit code",
                            current.id(),
                            current.sandboxId(),
                            status);
                    store.put(current.exited(
                            Timestamps.nowNanos(),
                            255,
                            "Error",
                            "the container's process disappeared while berthd was down; its exit code is unknown"));
                }
            }
        }
    }
}
