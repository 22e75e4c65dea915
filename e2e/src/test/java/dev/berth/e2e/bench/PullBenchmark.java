package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Image pull: berthd against containerd 1.6 pulling and unpacking the same ~50 MB, 5-layer image from the same
 * local registry, both timed the same way: a PullImage call on their CRI socket through the same client, as kubelet
 * pulls. Cold each time (RemoveImage, then content and snapshots checked gone), page cache left as it is for both,
 * the order alternating round by round. The RSS column reads the same containerd (CRI plugin in) that was timed.
 * Goal: berthd ≤ 1.0× containerd.
 */
public final class PullBenchmark {

    static final int RUNS = 6;
    /** Uncompressed sizes; half random, half repetitive content compresses to about 55%. */
    private static final long[] LAYER_BYTES = {36_000_000, 22_000_000, 14_000_000, 10_000_000, 8_000_000};

    private static final String BERTHD = "berthd";
    private static final String CONTAINERD = "containerd 1.6";
    private static final long COLD_WAIT_MILLIS = 5_000;

    public record Result(
            List<Double> berthdMillis,
            List<Double> containerdMillis,
            long berthdRssKib,
            long containerdRssKib,
            long imageBytes) {

        public double ratio() {
            return Percentiles.of(berthdMillis).median()
                    / Percentiles.of(containerdMillis).median();
        }
    }

    /** One runtime as the pull benchmark drives it: its CRI client and the directories a cold store leaves empty. */
    private record Puller(String name, CriClient client, List<Path> storeDirs) {}

    public static void main(String[] args) throws Exception {
        run();
    }

    public static Result run() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-pull-bench-");
        CommandRunner commands = new CommandRunner(Files.createDirectories(work.resolve("scratch")));
        try (RegistryFixture registry = RegistryFixture.start()) {
            TestImage.Builder image = TestImage.builder();
            for (int i = 0; i < LAYER_BYTES.length; i++) {
                image.layer(TestLayer.random(LAYER_BYTES[i], 300, 100 + i, TestLayer.Compression.GZIP));
            }
            PushedImage pushed = new ImagePusher(registry).pushImage("bench/pull", "1", image.build());
            String reference = pushed.reference();
            System.out.printf(
                    "image %s: %d layers, %.1f MB compressed%n", reference, LAYER_BYTES.length, pushed.size() / 1e6);

            Map<String, List<Double>> millis = Map.of(BERTHD, new ArrayList<>(), CONTAINERD, new ArrayList<>());
            long berthdRss;
            long containerdRss;
            // containerd's CRI plugin wants a pod network before it reports ready; no pod is started, so no
            // bridge is made, and no sandbox image is pulled
            BenchNetwork network = BenchNetwork.create(work, "berthpullb0", "10.195.0.0/24");
            try (BenchBerthd daemon = BenchBerthd.start(work);
                    CriClient berthdClient = CriClient.connect(daemon.socket());
                    ContainerdCri containerd = ContainerdCri.start(
                            work, registry.hostPort(), registry.reference("pause:none"), network, commands)) {
                List<Puller> pullers = List.of(
                        new Puller(
                                BERTHD,
                                berthdClient,
                                List.of(
                                        daemon.root().resolve("snapshots"),
                                        daemon.root().resolve("content/blobs/sha256"))),
                        new Puller(CONTAINERD, containerd.client(), containerd.imageStoreDirs()));
                // round 0 warms both up (connections, JIT, page cache of the registry's blobs) and is not counted
                for (int round = 0; round <= RUNS; round++) {
                    for (Puller puller : LaneOrder.forRound(pullers, round)) {
                        double ms = timePull(puller, reference);
                        if (round > 0) {
                            millis.get(puller.name()).add(ms);
                        }
                    }
                }
                berthdRss = daemon.rssKib();
                containerdRss = containerd.rssKib();
            }
            Result result = new Result(
                    List.copyOf(millis.get(BERTHD)),
                    List.copyOf(millis.get(CONTAINERD)),
                    berthdRss,
                    containerdRss,
                    pushed.size());
            print(result);
            return result;
        } finally {
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /** PullImage timed by the client, then RemoveImage and a check that the next pull starts from an empty store. */
    private static double timePull(Puller puller, String reference) throws IOException, InterruptedException {
        long start = System.nanoTime();
        puller.client().pullImage(reference);
        double millis = (System.nanoTime() - start) / 1e6;
        puller.client().removeImage(reference);
        awaitEmpty(puller);
        return millis;
    }

    /** containerd deletes synchronously on RemoveImage but removes snapshot dirs in its GC, so allow it a moment. */
    private static void awaitEmpty(Puller puller) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + COLD_WAIT_MILLIS;
        while (true) {
            List<Path> left = new ArrayList<>();
            for (Path dir : puller.storeDirs()) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> entries = Files.list(dir)) {
                        entries.forEach(left::add);
                    }
                }
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        puller.name() + " kept content after RemoveImage, runs would not be cold: " + left);
            }
            Thread.sleep(20);
        }
    }

    private static void print(Result r) {
        System.out.println();
        System.out.printf(
                "PULL BENCHMARK: %d runs each after one warm-up, %.1f MB / 5 layers, cold stores, PullImage over gRPC"
                        + " for both, order alternating%n",
                RUNS, r.imageBytes() / 1e6);
        System.out.printf("%-32s %10s %10s %10s%n", "", "median ms", "min ms", "max ms");
        row("berthd PullImage (CRI)", r.berthdMillis());
        row("containerd 1.6 PullImage (CRI)", r.containerdMillis());
        System.out.printf(
                "goal berthd <= 1.00x containerd: %.2fx  %s%n", r.ratio(), r.ratio() <= 1.0 ? "MET" : "MISSED");
        System.out.printf(
                "RSS after the runs: berthd %d MiB, containerd (the one timed, CRI plugin in) %d MiB%n",
                r.berthdRssKib() / 1024, r.containerdRssKib() / 1024);
    }

    private static void row(String name, List<Double> values) {
        Percentiles p = Percentiles.of(values);
        System.out.printf("%-32s %10.1f %10.1f %10.1f%n", name, p.median(), p.min(), p.max());
    }
}
