package dev.berth.e2e.bench;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.testing.HostCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One runtime's pod deletions, through the same CRI requests whatever the runtime. A pod here runs one container
 * whose init exits at once on SIGTERM, as most servers do (a shell that traps TERM while it waits on its child), and
 * kubelet's part around the runtime happens off the clock: the pod's cgroup parent made before RunPodSandbox and
 * removed after RemovePodSandbox, the log directory made before and removed after.
 *
 * <p>Two ways to delete, each timed call by call: as kubelet 1.32 deletes a pod (killContainer's StopContainer with
 * the pod's grace period, ContainerStatus until it reports the exit, then KillPod's StopPodSandbox and the GC's
 * RemovePodSandbox), and the short way, StopPodSandbox + RemovePodSandbox of a pod whose container still runs.
 */
final class DeletionLane {

    /** kubelet's default terminationGracePeriodSeconds: the container must exit long before it matters. */
    static final long GRACE_SECONDS = 30;
    /** Exits 0 on SIGTERM at once: {@code wait} returns when the trapped signal arrives. */
    static final List<String> EXITS_ON_TERM = List.of("sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");

    static final String STOP_CONTAINER = "StopContainer";
    static final String SEES_EXIT = "ContainerStatus until EXITED";
    static final String STOP_POD = "StopPodSandbox";
    static final String REMOVE_POD = "RemovePodSandbox";
    static final String KUBELET_TOTAL = "kubelet-ordered total";
    static final String STOP_REMOVE = "StopPodSandbox + RemovePodSandbox";

    private static final long STATUS_DEADLINE_NANOS = 10_000_000_000L;

    private final String name;
    private final CriClient client;
    private final PodSpecs specs;
    private final Map<String, List<Double>> millis = new LinkedHashMap<>();
    /** Pod and container IDs of the counted deletions, whose phase lines the breakdown reads. */
    private final Set<String> countedIds = new LinkedHashSet<>();

    private final List<String> failures = new ArrayList<>();

    DeletionLane(String name, CriClient client, PodSpecs specs) {
        this.name = name;
        this.client = client;
        this.specs = specs;
        for (String step : List.of(STOP_CONTAINER, SEES_EXIT, STOP_POD, REMOVE_POD, KUBELET_TOTAL, STOP_REMOVE)) {
            millis.put(step, new ArrayList<>());
        }
    }

    String name() {
        return name;
    }

    /** A started pod: what the deletion needs to name. */
    private record Pod(int index, String podId, String containerId) {}

    /**
     * Deletes pod {@code index} as kubelet does; {@code counted} false for a warm-up. Fails when the runtime
     * answers wrongly: the exit must show code 0 and a finish time, as kubelet reads them.
     */
    void kubeletOrdered(int index, boolean counted) throws IOException {
        Pod pod = start(index);
        long start = System.nanoTime();
        client.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(pod.containerId())
                        .setTimeout(GRACE_SECONDS)
                        .build());
        long stopped = System.nanoTime();
        ContainerStatus status = awaitExited(pod.containerId());
        long seen = System.nanoTime();
        client.runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(pod.podId())
                        .build());
        long podStopped = System.nanoTime();
        client.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(pod.podId())
                        .build());
        long end = System.nanoTime();
        cleanUpAfter(pod);
        if (status.getExitCode() != 0 || status.getFinishedAt() == 0) {
            throw new IOException(name + ": container of pod " + index + " exited with code " + status.getExitCode()
                    + ", finished_at " + status.getFinishedAt() + "; expected 0 and a time");
        }
        if (counted) {
            countedIds.addAll(List.of(pod.podId(), pod.containerId()));
            record(STOP_CONTAINER, stopped - start);
            record(SEES_EXIT, seen - stopped);
            record(STOP_POD, podStopped - seen);
            record(REMOVE_POD, end - podStopped);
            record(KUBELET_TOTAL, end - start);
        }
    }

    /** Deletes pod {@code index}, its container still running, with StopPodSandbox + RemovePodSandbox alone. */
    void stopAndRemove(int index, boolean counted) throws IOException {
        Pod pod = start(index);
        long start = System.nanoTime();
        client.stopAndRemovePodSandbox(pod.podId());
        long end = System.nanoTime();
        cleanUpAfter(pod);
        if (counted) {
            countedIds.addAll(List.of(pod.podId(), pod.containerId()));
            record(STOP_REMOVE, end - start);
        }
    }

    Map<String, List<Double>> millis() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        millis.forEach((step, samples) -> copy.put(step, List.copyOf(samples)));
        return copy;
    }

    Set<String> countedIds() {
        return Set.copyOf(countedIds);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    private Pod start(int index) throws IOException {
        Files.createDirectories(specs.logDirectory(index));
        for (Path dir : HostCgroups.detect().everywhere(cgroupParent(index))) {
            Files.createDirectories(dir);
        }
        PodSandboxConfig sandbox = specs.sandbox(index);
        String podId = client.runPodSandbox(sandbox);
        ContainerConfig container = specs.container(index).toBuilder()
                .clearCommand()
                .addAllCommand(EXITS_ON_TERM)
                .build();
        String containerId = client.createContainer(podId, container, sandbox);
        client.startContainer(containerId);
        // the shell must have set its trap before the signal comes, or TERM kills it the default way (exit 143)
        awaitTrapSet(containerId);
        return new Pod(index, podId, containerId);
    }

    /** The shell sets its trap before it starts {@code sleep}: once that child runs, TERM is handled. */
    private void awaitTrapSet(String containerId) throws IOException {
        ContainerStatus status = status(containerId);
        if (status.getState() != ContainerState.CONTAINER_RUNNING) {
            throw new IOException(name + ": container " + containerId + " is " + status.getState() + " after start");
        }
        long deadline = System.nanoTime() + STATUS_DEADLINE_NANOS;
        while (!hasChildSleep(containerId)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(name + ": container " + containerId + " never started its sleep");
            }
            pause();
        }
    }

    /** Whether a {@code sleep 3600} of this container runs: the host's /proc, found by the container's cgroup. */
    private boolean hasChildSleep(String containerId) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(p -> {
                        String cmdline = HostCleanup.commandLine(
                                Long.parseLong(p.getFileName().toString()));
                        return cmdline.equals("sleep 3600") && inContainer(p, containerId);
                    });
        }
    }

    private static boolean inContainer(Path proc, String containerId) {
        try {
            return Files.readString(proc.resolve("cgroup")).contains(containerId);
        } catch (IOException e) {
            return false;
        }
    }

    private ContainerStatus awaitExited(String containerId) throws IOException {
        long deadline = System.nanoTime() + STATUS_DEADLINE_NANOS;
        while (true) {
            ContainerStatus status = status(containerId);
            if (status.getState() == ContainerState.CONTAINER_EXITED) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + ": container " + containerId + " still " + status.getState()
                        + " 10 s after StopContainer returned");
            }
            pause();
        }
    }

    private ContainerStatus status(String containerId) {
        return client.runtime()
                .containerStatus(ContainerStatusRequest.newBuilder()
                        .setContainerId(containerId)
                        .build())
                .getStatus();
    }

    /** kubelet's own clean-up of a deleted pod, off the clock. */
    private void cleanUpAfter(Pod pod) throws IOException {
        dev.berth.store.Directories.deleteRecursively(specs.logDirectory(pod.index()));
        for (Path dir : HostCgroups.detect().everywhere(cgroupParent(pod.index()))) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                failures.add(name + ": pod " + pod.index() + " left cgroup " + dir + " busy: " + e.getMessage());
            }
        }
    }

    private String cgroupParent(int index) {
        return specs.sandbox(index).getLinux().getCgroupParent();
    }

    private void record(String step, long nanos) {
        millis.get(step).add(nanos / 1e6);
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
