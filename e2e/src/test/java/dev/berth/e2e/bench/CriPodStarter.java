package dev.berth.e2e.bench;

import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts pods on any CRI runtime as kubelet does for a new pod: RunPodSandbox, CreateContainer,
 * StartContainer, timed together; kubelet's own preparation (the pod log directory) happens before the
 * clock starts.
 */
final class CriPodStarter implements PodStarter {

    private final String name;
    private final CriClient client;
    private final PodSpecs specs;
    private final List<String> podIds = new ArrayList<>();
    private final List<Double> removeMillis = new ArrayList<>();
    private final Map<String, List<Double>> callMillis = new LinkedHashMap<>();

    CriPodStarter(String name, CriClient client, PodSpecs specs) {
        this.name = name;
        this.client = client;
        this.specs = specs;
    }

    @Override
    public String name() {
        return name;
    }

    CriClient client() {
        return client;
    }

    @Override
    public double startPod(int index) throws Exception {
        Files.createDirectories(specs.logDirectory(index));
        PodSandboxConfig sandbox = specs.sandbox(index);
        long start = System.nanoTime();
        String podId = client.runPodSandbox(sandbox);
        long ran = System.nanoTime();
        podIds.add(podId);
        String containerId = client.createContainer(podId, specs.container(index), sandbox);
        long created = System.nanoTime();
        client.startContainer(containerId);
        long end = System.nanoTime();
        // pod 0 is the bench's warm-up, left out of every figure
        if (index > 0) {
            record("RunPodSandbox", ran - start);
            record("CreateContainer", created - ran);
            record("StartContainer", end - created);
        }
        return (end - start) / 1e6;
    }

    private void record(String call, long nanos) {
        callMillis.computeIfAbsent(call, c -> new ArrayList<>()).add(nanos / 1e6);
    }

    /** Each CRI call's samples as the client timed them, warm-up excluded. */
    Map<String, List<Double>> callMillis() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        callMillis.forEach((call, samples) -> copy.put(call, List.copyOf(samples)));
        return copy;
    }

    /** How long each StopPodSandbox + RemovePodSandbox took in {@link #removeAll}. */
    List<Double> removeMillis() {
        return List.copyOf(removeMillis);
    }

    /**
     * Removes the pods it started, then any other pod of this run the runtime still lists (one whose
     * RunPodSandbox succeeded after the client gave up waiting).
     */
    @Override
    public void removeAll() throws Exception {
        Set<String> ids = new LinkedHashSet<>(podIds);
        Exception first = null;
        try {
            for (PodSandbox pod : client.listPodSandboxes()) {
                if (specs.run().equals(pod.getLabelsMap().get(PodSpecs.RUN_LABEL))) {
                    ids.add(pod.getId());
                }
            }
        } catch (RuntimeException e) {
            first = e;
        }
        for (String id : ids) {
            try {
                long start = System.nanoTime();
                client.stopAndRemovePodSandbox(id);
                removeMillis.add((System.nanoTime() - start) / 1e6);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        podIds.clear();
        if (first != null) {
            throw first;
        }
    }
}
