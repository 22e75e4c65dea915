package dev.berth.testing;

import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerState;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxState;
import java.util.List;
import java.util.Map;

/** Records for unit tests that need a container or pod as the stores hold them; the one place that lists their fields. */
public final class TestRecords {

    private TestRecords() {
    }

    public static ContainerRecord container(String id, String sandboxId, String name, int attempt, String cgroupPath,
            int stopSignal, ContainerState state, int pid) {
        return new ContainerRecord(id, sandboxId, name, attempt, "busybox", "sha256:1", "busybox@sha256:1", Map.of(),
                Map.of(), "", cgroupPath, "/tmp/" + id + ".log", stopSignal, List.of(), 1, 0, 0, state, 0, "", "", 0,
                pid, null, null, "busybox", null);
    }

    public static SandboxRecord pod(String id, String name, SandboxState state, String cgroupPath) {
        return new SandboxRecord(id, name, "default", "uid-" + id, 0, Map.of(), Map.of(), "", 1, state, null, null,
                null, null, 0, "", List.of(), cgroupPath, new byte[0]);
    }
}
