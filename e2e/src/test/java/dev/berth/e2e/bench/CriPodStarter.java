package dev.berth.e2e.bench;

import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts pods on any CRI runtime as kubelet does for a new pod: RunPodSandbox, CreateContainer,
 * StartContainer, timed together; kubelet's own preparation ({@link PodRequests#prepare}) happens before the
 * clock starts. A starter that {@code removesEach} pod stops and removes it (StopPodSandbox + RemovePodSandbox,
 * timed apart) right after its start, so that its pods do not pile up beside the other lanes'.
 */
final class CriPodStarter implements PodStarter {

    static final String STOP_REMOVE = "StopPodSandbox+RemovePodSandbox";

    private final String name;
    private final CriClient client;
    private final PodRequests requests;
    private final boolean removesEach;
    private final List<String> podIds = new ArrayList<>();
    private final Set<String> timedIds = new HashSet<>();
    private final List<Double> removeMillis = new ArrayList<>();
    private final Map<String, List<Double>> callMillis = new LinkedHashMap<>();

    CriPodStarter(String name, CriClient client, PodRequests requests) {
        this(name, client, requests, false);
    }

    CriPodStarter(String name, CriClient client, PodRequests requests, boolean removesEach) {
        this.name = name;
        this.client = client;
        this.requests = requests;
        this.removesEach = removesEach;
    }

    @Override
    public String name() {
        return name;
    }

    CriClient client() {
        return client;
    }

    /** Pod 0 is the bench's warm-up, left out of every figure. */
    @Override
    public double startPod(int index) throws Exception {
        requests.prepare(index);
        PodSandboxConfig sandbox = requests.sandbox(index);
        long start = System.nanoTime();
        String podId = client.runPodSandbox(sandbox);
        long ran = System.nanoTime();
        podIds.add(podId);
        String containerId = client.createContainer(podId, requests.container(index), sandbox);
        long created = System.nanoTime();
        client.startContainer(containerId);
        long end = System.nanoTime();
        if (index > 0) {
            record("RunPodSandbox", ran - start);
            record("CreateContainer", created - ran);
            record("StartContainer", end - created);
            timedIds.add(podId);
            timedIds.add(containerId);
        }
        if (removesEach) {
            long stopping = System.nanoTime();
            client.stopAndRemovePodSandbox(podId);
            podIds.remove(podId);
            if (index > 0) {
                record(STOP_REMOVE, System.nanoTime() - stopping);
            }
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

    /** The pod and container IDs of the timed starts, to pick the runtime's own timings of those out of its log. */
    Set<String> timedIds() {
        return Set.copyOf(timedIds);
    }

    /** How long each StopPodSandbox + RemovePodSandbox took in {@link #removeNext} and {@link #removeAll}. */
    List<Double> removeMillis() {
        return List.copyOf(removeMillis);
    }

    /**
     * Stops and removes the oldest pod it started and still has, timed into {@link #removeMillis}; false when it has
     * none left. The benchmark calls it lane by lane, interleaved, at the end.
     */
    boolean removeNext() {
        if (podIds.isEmpty()) {
            return false;
        }
        String id = podIds.getFirst();
        long start = System.nanoTime();
        client.stopAndRemovePodSandbox(id);
        removeMillis.add((System.nanoTime() - start) / 1e6);
        podIds.removeFirst();
        return true;
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
                if (requests.run().equals(pod.getLabelsMap().get(PodSpecs.RUN_LABEL))) {
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
