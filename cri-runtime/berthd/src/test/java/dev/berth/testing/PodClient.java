package dev.berth.testing;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StartContainerRequest;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * CRI calls the way kubelet makes them, for tests: a pod config with metadata, log dir and a cgroup parent
 * of the test's own, containers created with that pod config and started.
 */
public final class PodClient {

    private final Supplier<RuntimeServiceGrpc.RuntimeServiceBlockingStub> runtime;
    private final Path logRoot;
    private final String cgroupMarker;

    public PodClient(
            Supplier<RuntimeServiceGrpc.RuntimeServiceBlockingStub> runtime, Path logRoot, String cgroupMarker) {
        this.runtime = runtime;
        this.logRoot = logRoot;
        this.cgroupMarker = cgroupMarker;
    }

    /**
     * Each pod gets its own single-level cgroup parent that does not exist yet: berthd makes it, so removing the pod
     * removes all of it.
     */
    public PodSandboxConfig.Builder pod(String name) {
        String uid = UUID.randomUUID().toString();
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setNamespace("default")
                        .setUid(uid))
                .setHostname(name)
                .setLogDirectory(logRoot.resolve(uid).toString())
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent("/" + cgroupMarker + "-" + uid.substring(0, 8))
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(
                                        NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))));
    }

    public String run(PodSandboxConfig pod) {
        return runtime.get()
                .runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build())
                .getPodSandboxId();
    }

    public ContainerConfig.Builder container(String name, String image, String... command) {
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .setLogPath(name + ".log");
        for (String part : command) {
            config.addCommand(part);
        }
        return config;
    }

    public String create(String podId, PodSandboxConfig pod, ContainerConfig container) {
        return runtime.get()
                .createContainer(CreateContainerRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setConfig(container)
                        .setSandboxConfig(pod)
                        .build())
                .getContainerId();
    }

    public String createAndStart(String podId, PodSandboxConfig pod, ContainerConfig container) {
        String id = create(podId, pod, container);
        runtime.get()
                .startContainer(
                        StartContainerRequest.newBuilder().setContainerId(id).build());
        return id;
    }

    public ContainerStatus status(String containerId) {
        return runtime.get()
                .containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(containerId)
                        .build())
                .getStatus();
    }

    /** Polls until the container has exited; fails after {@code seconds}. */
    public ContainerStatus awaitExit(String containerId, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            ContainerStatus status = status(containerId);
            if (status.getState() == ContainerState.CONTAINER_EXITED) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "container " + containerId + " still " + status.getState() + " after " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    /** The command's stdout, run in the container through ExecSync (30 s at most). */
    public String execSync(String containerId, String... cmd) {
        return runtime.get()
                .execSync(dev.berth.cri.v1.ExecSyncRequest.newBuilder()
                        .setContainerId(containerId)
                        .addAllCmd(java.util.List.of(cmd))
                        .setTimeout(30)
                        .build())
                .getStdout()
                .toStringUtf8();
    }

    /** Polls {@code ps} in the container until it does (or no longer does) list {@code command}. */
    public void awaitProcess(String containerId, String command, boolean present, java.time.Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String ps = execSync(containerId, "ps");
            if (ps.contains(command) == present) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(command + (present ? " never appeared" : " still runs") + ":\n" + ps);
            }
            Thread.sleep(100);
        }
    }

    /**
     * The file's SHA-256 as the container computes it, once a process runs {@code server} (so the shell that
     * wrote the file has exec'd it). The shell's own command line names the server too, so only a command that
     * starts with it counts: ps showing {@code sh -c "... && exec httpd"} meant the file was still being written
     * and the server did not listen yet.
     */
    public String sha256Once(String containerId, String server, String path, java.time.Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!runs(execSync(containerId, "ps", "-o", "args"), server)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server + " never started in " + containerId);
            }
            Thread.sleep(100);
        }
        return execSync(containerId, "sha256sum", path).split("\\s+")[0];
    }

    private static boolean runs(String psArgs, String command) {
        return psArgs.lines()
                .map(String::strip)
                .anyMatch(args -> args.equals(command) || args.startsWith(command + " "));
    }
}
