package dev.berth.sandbox;

import dev.berth.store.ConflictException;
import dev.berth.store.NotFoundException;
import dev.berth.store.RecordStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks up a pod that containers can be created in: the container feature's only view of pods. */
@FunctionalInterface
public interface ReadyPods {

    /** @throws ConflictException when the pod exists but is not (or no longer) ready */
    ReadyPod require(String sandboxId) throws NotFoundException, ConflictException;

    /** The pods as the sandbox store holds them. */
    static ReadyPods of(RecordStore<SandboxRecord> store, PodFiles files) {
        return sandboxId -> {
            SandboxRecord sandbox =
                    store.get(sandboxId).orElseThrow(() -> new NotFoundException("pod sandbox", sandboxId));
            if (sandbox.state() != SandboxState.READY) {
                throw new ConflictException(
                        ConflictException.Kind.WRONG_STATE,
                        "pod sandbox " + sandboxId + " is not ready (" + sandbox.state() + "); create a new one");
            }
            Path shm = files.shm(sandbox.id());
            return new ReadyPod(
                    sandbox.id(),
                    sandbox.runtimeHandler(),
                    sandbox.cgroupPath(),
                    path(sandbox.status().netnsPath()),
                    path(sandbox.status().ipcnsPath()),
                    path(sandbox.status().utsnsPath()),
                    path(sandbox.status().pidnsPath()),
                    files.hosts(sandbox.id()),
                    files.resolvConf(sandbox.id()),
                    files.hostname(sandbox.id()),
                    Files.exists(shm) ? shm : null);
        };
    }

    private static Path path(String path) {
        return path == null ? null : Path.of(path);
    }
}
