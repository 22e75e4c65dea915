package dev.berth.testing;

import dev.berth.container.ContainerMetadata;
import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerResources;
import dev.berth.container.ContainerState;
import dev.berth.container.ContainerStatus;
import dev.berth.sandbox.NamespaceModes;
import dev.berth.sandbox.SandboxMetadata;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxState;
import dev.berth.sandbox.SandboxStatus;
import java.util.List;
import java.util.Map;

/** Records for unit tests that need a container or pod as the stores hold them; the one place that lists their fields. */
public final class TestRecords {

    private TestRecords() {}

    public static ContainerRecord container(
            String id,
            String sandboxId,
            String name,
            int attempt,
            String cgroupPath,
            int stopSignal,
            ContainerState state,
            int pid) {
        return new ContainerRecord(
                ContainerRecord.FORMAT_VERSION,
                new ContainerMetadata(
                        id,
                        sandboxId,
                        name,
                        attempt,
                        "busybox",
                        "busybox",
                        "",
                        "sha256:1",
                        "busybox@sha256:1",
                        Map.of(),
                        Map.of(),
                        "",
                        cgroupPath,
                        "/tmp/" + id + ".log",
                        stopSignal,
                        List.of(),
                        List.of(),
                        1,
                        null),
                new ContainerStatus(state, 0, 0, 0, "", "", 0, pid, null, ContainerResources.NONE, null));
    }

    public static SandboxRecord pod(String id, String name, SandboxState state, String cgroupPath) {
        return new SandboxRecord(
                SandboxRecord.FORMAT_VERSION,
                new SandboxMetadata(
                        id,
                        name,
                        "default",
                        "uid-" + id,
                        0,
                        Map.of(),
                        Map.of(),
                        "",
                        cgroupPath,
                        List.of(),
                        NamespaceModes.ALL_POD,
                        List.of(),
                        1,
                        new byte[0]),
                new SandboxStatus(state, null, null, null, null, 0, "", List.of(), null));
    }
}
