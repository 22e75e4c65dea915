package dev.berth.e2e.bench;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One runtime's column while the benchmark runs: its samples so far. A lane that fails fails the benchmark with
 * the lane's name and the cause: a column with no figures is no comparison.
 */
final class BenchLane {

    /** Reads a resident set size in KiB, or -1 where there is nothing to read (the floor has no daemon). */
    @FunctionalInterface
    interface RssProbe {
        long rssKib() throws IOException;
    }

    /** Reads a runtime's own account of where the pod starts with these pod and container IDs went. */
    @FunctionalInterface
    interface PhaseProbe {
        PhaseBreakdown phases(Set<String> ids) throws IOException;
    }

    private final PodStarter starter;
    private final CriClient client;
    private final RssProbe daemonRss;
    private final RssProbe helpersRss;
    private final PhaseProbe phases;
    private PhaseBreakdown breakdown = PhaseBreakdown.empty();
    private final List<Double> starts = new ArrayList<>();
    private final List<Double> lists = new ArrayList<>();
    private final List<Double> versions = new ArrayList<>();
    private long idleRssKib = -1;
    private long busyRssKib = -1;
    private long busyHelpersRssKib = -1;
    private int listedContainers = -1;

    /** @param client null for a lane that does not speak CRI (the runc floor) */
    BenchLane(PodStarter starter, CriClient client, RssProbe daemonRss, RssProbe helpersRss) {
        this(starter, client, daemonRss, helpersRss, ids -> PhaseBreakdown.empty());
    }

    BenchLane(PodStarter starter, CriClient client, RssProbe daemonRss, RssProbe helpersRss, PhaseProbe phases) {
        this.phases = phases;
        this.starter = starter;
        this.client = client;
        this.daemonRss = daemonRss;
        this.helpersRss = helpersRss;
    }

    String name() {
        return starter.name();
    }

    boolean speaksCri() {
        return client != null;
    }

    void sampleIdleRss() throws IOException {
        idleRssKib = daemonRss.rssKib();
    }

    /** Starts pod {@code index}; a warm-up start is not recorded. */
    void startPod(int index, boolean warmUp) {
        try {
            double millis = starter.startPod(index);
            if (!warmUp) {
                starts.add(millis);
            }
        } catch (Exception e) {
            throw new IllegalStateException(name() + ": pod " + index + " did not start: " + describe(e), e);
        }
    }

    /** RSS with the pods running, and the runtime's phase timings of the timed starts. */
    void sampleBusy() throws IOException {
        busyRssKib = daemonRss.rssKib();
        busyHelpersRssKib = helpersRss.rssKib();
        if (starter instanceof CriPodStarter cri) {
            breakdown = phases.phases(cri.timedIds());
        }
    }

    /** One untimed ListContainers (connection, JIT), which also counts what the runtime lists. */
    void warmUpListContainers() {
        listedContainers = cri().listContainers().size();
    }

    void timeListContainers() {
        long start = System.nanoTime();
        cri().listContainers();
        lists.add((System.nanoTime() - start) / 1e6);
    }

    /** The cost of any call on this runtime (transport, threads), to read ListContainers' own share. */
    void timeVersion() {
        long start = System.nanoTime();
        cri().version();
        versions.add((System.nanoTime() - start) / 1e6);
    }

    /** Stops and removes its oldest pod still running, timed; false when none is left. */
    boolean removeNext() {
        return starter instanceof CriPodStarter cri && cri.removeNext();
    }

    /** Removes whatever the lane still has (after a failure too); the host cleanup follows whatever this throws. */
    void removeAll() throws Exception {
        starter.removeAll();
    }

    PodStartBenchmark.Column column() {
        List<Double> removes = starter instanceof CriPodStarter cri ? cri.removeMillis() : List.of();
        Map<String, List<Double>> calls = starter instanceof CriPodStarter cri ? cri.callMillis() : Map.of();
        return new PodStartBenchmark.Column(
                name(),
                List.copyOf(starts),
                List.copyOf(lists),
                listedContainers,
                removes,
                idleRssKib,
                busyRssKib,
                busyHelpersRssKib,
                calls,
                breakdown,
                List.copyOf(versions));
    }

    private CriClient cri() {
        if (client == null) {
            throw new IllegalStateException(name() + " does not speak CRI");
        }
        return client;
    }

    static String describe(Throwable e) {
        if (e instanceof StatusRuntimeException status) {
            return status.getStatus().getCode() + ": " + status.getStatus().getDescription();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
