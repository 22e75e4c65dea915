package dev.berth.sandbox;

import dev.berth.store.RecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart: pods whose RunPodSandbox was cut short are rolled back; ready pods whose namespaces
 * did not survive (a node reboot empties /run) are marked NOTREADY, so kubelet makes new ones.
 */
public final class SandboxRecovery {

    private static final Logger log = LoggerFactory.getLogger(SandboxRecovery.class);

    private final RecordStore<SandboxRecord> store;
    private final SandboxService sandboxes;

    public SandboxRecovery(RecordStore<SandboxRecord> store, SandboxService sandboxes) {
        this.store = store;
        this.sandboxes = sandboxes;
    }

    public void recover() {
        for (SandboxRecord sandbox : store.all()) {
            try {
                if (sandbox.state() == SandboxState.CREATING) {
                    log.info(
                            "rolling back pod {} ({}/{}): RunPodSandbox was cut short",
                            sandbox.id(),
                            sandbox.namespace(),
                            sandbox.name());
                    sandboxes.rollBack(sandbox);
                } else if (sandbox.state() == SandboxState.READY
                        && sandbox.status().netnsPath() != null
                        && !Files.exists(Path.of(sandbox.status().netnsPath()))) {
                    log.warn(
                            "pod {} lost its network namespace while berthd was down; marking it NOTREADY",
                            sandbox.id());
                    store.put(sandbox.withState(SandboxState.NOTREADY));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("pod {}: recovery failed: {}", sandbox.id(), e.toString());
            }
        }
    }
}
