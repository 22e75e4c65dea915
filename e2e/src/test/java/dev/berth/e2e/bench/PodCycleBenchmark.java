package dev.berth.e2e.bench;

import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.process.CommandRunner;
import dev.berth.testing.HostCgroups;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * berthd's memory over many pod lives: a cycle is RunPodSandbox + CreateContainer + StartContainer of a busybox
 * {@code sleep}, then StopPodSandbox + RemovePodSandbox, as kubelet runs and deletes a pod. berthd's RSS (median of
 * a few samples once the cycles settle) after {@value #BASELINE_CYCLES} cycles against after all of them; goal: growth
 * under {@value #GOAL_PERCENT} %. Beside it, the heap in use after a full GC and the classes whose live objects grew
 * most ({@code jcmd GC.class_histogram}, from outside: berthd serves nothing for it), where a leak shows by name.
 * The run checks the machinery (every cycle done, no pod or cgroup left), not the goal.
 */
public final class PodCycleBenchmark {

    public static final int DEFAULT_CYCLES = 1000;
    public static final int DEFAULT_CLIENTS = 2;
    static final int BASELINE_CYCLES = 10;
    static final double GOAL_PERCENT = 5.0;
    static final String CGROUP_ROOT = "berth-cycle-bench";
    /** Away from the other benchmarks' and the tests' networks, which may run on the same host at the same time. */
    static final String BRIDGE = "berthcycbench0";

    static final String SUBNET = "10.196.0.0/16";
    private static final int RSS_SAMPLES = 5;
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration SAMPLE_PAUSE = Duration.ofMillis(500);
    private static final int TOP_CLASSES = 12;

    /** berthd after {@code cycles} cycles. */
    public record Checkpoint(int cycles, long rssKib, long heapUsedKib, Map<String, JvmProbe.ClassCount> histogram) {}

    /** What is left of the cycles: pods and containers berthd lists, pod cgroups below the bench's root. */
    public record Leftovers(int pods, int containers, List<String> cgroups) {
        boolean none() {
            return pods == 0 && containers == 0 && cgroups.isEmpty();
        }
    }

    public record Result(
            int cycles,
            int clients,
            Checkpoint baseline,
            Checkpoint middle,
            Checkpoint end,
            Duration elapsed,
            List<Double> cycleMillis,
            Map<String, List<Double>> callMillis,
            Leftovers leftovers) {

        public double growthPercent() {
            return (end.rssKib() / (double) baseline.rssKib() - 1) * 100;
        }
    }

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_CYCLES, DEFAULT_CLIENTS);
    }

    /** Runs {@code cycles} pod cycles (at least twice the baseline) on {@code clients} connections at once. */
    public static Result run(int cycles, int clients) throws Exception {
        if (cycles < 2 * BASELINE_CYCLES || clients < 1) {
            throw new IllegalArgumentException("need at least " + 2 * BASELINE_CYCLES + " cycles and one client, got "
                    + cycles + " and " + clients);
        }
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-cycle-bench-");
        CommandRunner commands = new CommandRunner(Files.createDirectories(work.resolve("scratch")));
        HostCleanup host = new HostCleanup(commands);
        String run = HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextInt())
                .substring(0, 6);
        try (RegistryFixture registry = RegistryFixture.start()) {
            String image = new ImagePusher(registry)
                    .pushImage("bench/busybox", "1", BusyboxImage.fromHost().image("sh"))
                    .reference();
            BenchNetwork network = BenchNetwork.create(work, BRIDGE, SUBNET);
            PodSpecs specs = new PodSpecs(run, work.resolve("pods"), image, CGROUP_ROOT);
            Result result;
            try (BenchBerthd daemon = BenchBerthd.start(work, network)) {
                List<CriClient> connections = new ArrayList<>();
                ExecutorService threads = Executors.newFixedThreadPool(clients);
                try {
                    for (int i = 0; i < clients; i++) {
                        connections.add(CriClient.connect(daemon.socket()));
                    }
                    connections.getFirst().pullImage(image);
                    JvmProbe probe = new JvmProbe(commands);
                    Cycles cycler = new Cycles(specs, connections, threads);
                    long start = System.nanoTime();
                    cycler.runUpTo(BASELINE_CYCLES);
                    Checkpoint baseline = checkpoint(BASELINE_CYCLES, daemon, probe);
                    cycler.runUpTo(cycles / 2);
                    Checkpoint middle = checkpoint(cycles / 2, daemon, probe);
                    cycler.runUpTo(cycles);
                    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                    Checkpoint end = checkpoint(cycles, daemon, probe);
                    result = new Result(
                            cycles,
                            clients,
                            baseline,
                            middle,
                            end,
                            elapsed,
                            cycler.millis(),
                            cycler.callMillis(),
                            leftovers(connections.getFirst()));
                } finally {
                    threads.shutdownNow();
                    connections.forEach(CriClient::close);
                }
            }
            new PodCycleReport(System.out).print(result, TOP_CLASSES);
            return result;
        } finally {
            host.removeCgroupTree(CGROUP_ROOT);
            host.deleteLink(BRIDGE);
            host.unmountBelow(work);
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /** Pod cycles shared out over the clients, numbered across the whole run so every pod has its own name. */
    private static final class Cycles {

        private final PodSpecs specs;
        private final List<CriClient> clients;
        private final ExecutorService threads;
        private final AtomicInteger next = new AtomicInteger();
        private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, List<Double>> callMillis = new ConcurrentSkipListMap<>();

        Cycles(PodSpecs specs, List<CriClient> clients, ExecutorService threads) {
            this.specs = specs;
            this.clients = clients;
            this.threads = threads;
        }

        /** Runs cycles until {@code total} have been started since the first; fails with the first cycle that does. */
        void runUpTo(int total) throws Exception {
            List<Future<?>> running = new ArrayList<>();
            for (CriClient client : clients) {
                running.add(threads.submit(() -> {
                    for (int index = next.getAndIncrement(); index < total; index = next.getAndIncrement()) {
                        cycle(client, index);
                    }
                    return null;
                }));
            }
            for (Future<?> each : running) {
                each.get();
            }
            // each client drew one index past the end; the next phase goes on from here
            next.set(total);
        }

        private void cycle(CriClient client, int index) throws IOException {
            long start = System.nanoTime();
            Path logs = Files.createDirectories(specs.logDirectory(index));
            PodSandboxConfig sandbox = specs.sandbox(index);
            String podId = client.runPodSandbox(sandbox);
            long ran = System.nanoTime();
            try {
                String containerId = client.createContainer(podId, specs.container(index), sandbox);
                long created = System.nanoTime();
                client.startContainer(containerId);
                record("RunPodSandbox", ran - start);
                record("CreateContainer", created - ran);
                record("StartContainer", System.nanoTime() - created);
            } finally {
                long stopping = System.nanoTime();
                client.stopAndRemovePodSandbox(podId);
                record("Stop+RemovePodSandbox", System.nanoTime() - stopping);
            }
            // kubelet removes a deleted pod's log directory too
            dev.berth.store.Directories.deleteRecursively(logs);
            millis.add((System.nanoTime() - start) / 1e6);
        }

        private void record(String call, long nanos) {
            callMillis
                    .computeIfAbsent(call, c -> Collections.synchronizedList(new ArrayList<>()))
                    .add(nanos / 1e6);
        }

        List<Double> millis() {
            return List.copyOf(millis);
        }

        Map<String, List<Double>> callMillis() {
            Map<String, List<Double>> copy = new LinkedHashMap<>();
            callMillis.forEach((call, samples) -> copy.put(call, List.copyOf(samples)));
            return copy;
        }
    }

    /** RSS first (median once settled), then the histogram, whose full GC would otherwise shrink what is measured. */
    private static Checkpoint checkpoint(int cycles, BenchBerthd daemon, JvmProbe probe) throws Exception {
        Thread.sleep(SETTLE);
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < RSS_SAMPLES; i++) {
            samples.add(daemon.rssKib());
            Thread.sleep(SAMPLE_PAUSE);
        }
        Collections.sort(samples);
        long rss = samples.get(samples.size() / 2);
        if (!probe.available()) {
            throw new IllegalStateException("no jcmd beside the JDK running the bench: no heap figures");
        }
        Map<String, JvmProbe.ClassCount> histogram = probe.classHistogram(daemon.pid());
        return new Checkpoint(cycles, rss, probe.heapUsedKib(daemon.pid()), histogram);
    }

    private static Leftovers leftovers(CriClient client) throws IOException {
        List<String> cgroups = new ArrayList<>();
        for (Path top : HostCgroups.detect().everywhere(CGROUP_ROOT)) {
            if (Files.isDirectory(top)) {
                try (Stream<Path> walk = Files.walk(top)) {
                    walk.filter(p -> !p.equals(top) && Files.isDirectory(p)).forEach(p -> cgroups.add(p.toString()));
                }
            }
        }
        return new Leftovers(
                client.listPodSandboxes().size(), client.listContainers().size(), cgroups);
    }
}
