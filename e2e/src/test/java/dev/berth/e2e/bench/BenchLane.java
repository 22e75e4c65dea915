package dev.berth.e2e.bench;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One runtime's column while the benchmark runs: its samples so far, or why it was skipped. A lane
 * that fails is skipped with the reason and cleaned up; it never fails the other lanes.
 */
final class BenchLane {

    /** Reads a resident set size in KiB, or -1 where there is nothing to read. */
    @FunctionalInterface
    interface RssProbe {
        long rssKib() throws IOException;
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
    private String skipped;
    private long idleRssKib = -1;
    private long busyRssKib = -1;
    private long busyHelpersRssKib = -1;
    private int listedContainers = -1;

    /** Reads a runtime's own account of where its pod starts went. */
    @FunctionalInterface
    interface PhaseProbe {
        PhaseBreakdown phases() throws IOException;
    }

    /** @param client null for a lane that does not speak CRI (the runc floor) */
    BenchLane(PodStarter starter, CriClient client, RssProbe daemonRss, RssProbe helpersRss) {
        this(starter, client, daemonRss, helpersRss, PhaseBreakdown::empty);
    }

    BenchLane(PodStarter starter, CriClient client, RssProbe daemonRss, RssProbe helpersRss, PhaseProbe phases) {
        this.phases = phases;
        this.starter = starter;
        this.client = client;
        this.daemonRss = daemonRss;
        this.helpersRss = helpersRss;
    }

    static BenchLane skipped(String name, String why) {
        BenchLane lane = new BenchLane(new NoPods(name), null, () -> -1, () -> -1);
        lane.skipped = why;
        return lane;
    }

    boolean active() {
        return skipped == null;
    }

    String name() {
        return starter.name();
    }

    void sampleIdleRss() {
        if (active()) {
            idleRssKib = read(daemonRss);
        }
    }

    /** Starts pod {@code index}; a warm-up start is not recorded. Skips the lane on failure. */
    void startPod(int index, boolean warmUp) {
        if (!active()) {
            return;
        }
        try {
            double millis = starter.startPod(index);
            if (!warmUp) {
                starts.add(millis);
            }
        } catch (Exception e) {
            skip("pod " + index + " did not start: " + describe(e));
        }
    }

    void sampleBusyRss() {
        if (active()) {
            busyRssKib = read(daemonRss);
            busyHelpersRssKib = read(helpersRss);
            try {
                breakdown = phases.phases();
            } catch (IOException e) {
                System.out.println(name() + ": no phase breakdown: " + describe(e));
            }
        }
    }

    /** Times {@code calls} ListContainers calls after a few untimed ones (connection, JIT). */
    void timeListContainers(int calls) {
        if (!active() || client == null) {
            return;
        }
        try {
            for (int i = 0; i < 10; i++) {
                listedContainers = client.listContainers().size();
            }
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                client.listContainers();
                lists.add((System.nanoTime() - start) / 1e6);
            }
            // the cost of any call on this runtime (transport, threads), to read ListContainers' own share
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                client.version();
                versions.add((System.nanoTime() - start) / 1e6);
            }
        } catch (RuntimeException e) {
            lists.clear();
            listedContainers = -1;
            System.out.println(name() + ": ListContainers failed: " + describe(e));
        }
    }

    /** Removes what the lane started, whether it was skipped or not; failures are reported, not thrown. */
    void removeAll() {
        try {
            starter.removeAll();
        } catch (Exception e) {
            System.out.println(
                    name() + ": cleanup through the runtime failed (the host cleanup follows): " + describe(e));
        }
    }

    PodStartBenchmark.Column column() {
        List<Double> removes = starter instanceof CriPodStarter cri ? cri.removeMillis() : List.of();
        Map<String, List<Double>> calls = starter instanceof CriPodStarter cri ? cri.callMillis() : Map.of();
        return new PodStartBenchmark.Column(
                name(),
                skipped,
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

    private void skip(String why) {
        skipped = why;
        // What it started stays until the benchmark's final removeAll, which every lane gets.
        System.out.println(name() + " column skipped: " + why);
    }

    private static long read(RssProbe probe) {
        try {
            return probe.rssKib();
        } catch (IOException e) {
            return -1;
        }
    }

    static String describe(Throwable e) {
        if (e instanceof StatusRuntimeException status) {
            return status.getStatus().getCode() + ": " + status.getStatus().getDescription();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The starter of a lane that never ran. */
    private record NoPods(String name) implements PodStarter {
        @Override
        public double startPod(int index) {
            throw new IllegalStateException(name + " is skipped");
        }

        @Override
        public void removeAll() {}
    }
}
