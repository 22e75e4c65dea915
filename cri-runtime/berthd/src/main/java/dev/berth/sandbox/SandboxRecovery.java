package dev.berth.sandbox;

import dev.berth.store.RecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart: pods whose RunPodSandbox was cut short, or whose removal failed earlier, are removed; ready
 * pods whose namespaces did not survive (a node reboot empties /run) are marked NOTREADY, so kubelet makes new
 * ones.
 */
public final class SandboxRecovery {

    private static final Logger log = LoggerFactory.getLogger(SandboxRecovery.class);

    private final RecordStore<SandboxRecord> store;
    private final SandboxService sandboxes;

    public SandboxRecovery(RecordStore<SandboxRecord> store, SandboxService sandboxes) {
        this.store = store;
        this.sandboxes = sandboxes;
    }

    /**
     * The part of recovery that must be done before anyone may look, without running a program: a pod cut short
     * in RunPodSandbox is shown NOTREADY, owing its removal, until {@link #recover} has rolled it back; a ready pod
     * whose netns is gone is NOTREADY. Returns the IDs of the pods that owe a removal.
     */
    public List<String> prepare() {
        List<String> owing = new ArrayList<>();
        for (SandboxRecord sandbox : store.all()) {
            try {
                if (sandbox.state() == SandboxState.CREATING) {
                    log.info(
                            "pod {} ({}/{}): RunPodSandbox was cut short; rolling it back",
                            sandbox.id(),
                            sandbox.namespace(),
                            sandbox.name());
                    // unsynced: lost with the page cache, the CREATING record it replaces is rolled back all the same
                    store.putTransient(sandbox.teardownFailed(
                            "RunPodSandbox was cut short by a restart of berthd; rolling it back"));
                } else if (sandbox.state() == SandboxState.READY
                        && sandbox.status().netnsPath() != null
                        && !Files.exists(Path.of(sandbox.status().netnsPath()))) {
                    log.warn(
                            "pod {} lost its network namespace while berthd was down; marking it NOTREADY",
                            sandbox.id());
                    store.put(sandbox.withState(SandboxState.NOTREADY));
                }
            } catch (IOException e) {
                log.warn("pod {}: {}", sandbox.id(), e.toString());
            }
            if (sandbox.state() == SandboxState.CREATING || sandbox.owesTeardown()) {
                owing.add(sandbox.id());
            }
        }
        return owing;
    }

    /** Retries the removal the pod owes; a failure is logged and the pod kept, NOTREADY with why. */
    public void recover(String id) {
        try {
            sandboxes.retryTeardown(id);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "pod {}: its removal failed again; RemovePodSandbox or the next start retries: {}",
                    id,
                    e.toString());
        }
    }
}
