package dev.berth.e2e.bench;

import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Image pull: berthd against containerd 1.6 pulling and unpacking the same ~50 MB, 5-layer image from
 * the same local registry, interleaved, cold each time (image removed, content and snapshots gone),
 * page cache left as it is for both. Prints medians; goal: berthd ≤ 1.0× containerd.
 */
public final class PullBenchmark {

    private static final int RUNS = 5;
    /** Uncompressed sizes; half random, half repetitive content compresses to about 55%. */
    private static final long[] LAYER_BYTES = {36_000_000, 22_000_000, 14_000_000, 10_000_000, 8_000_000};

    public record Result(
            List<Double> berthdMillis,
            List<Double> containerdMillis,
            double ctrStartMillis,
            long berthdRssKib,
            long containerdRssKib,
            long imageBytes) {}

    public static void main(String[] args) throws Exception {
        run();
    }

    public static Result run() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-pull-bench-");
        try (RegistryFixture registry = RegistryFixture.start()) {
            TestImage.Builder image = TestImage.builder();
            for (int i = 0; i < LAYER_BYTES.length; i++) {
                image.layer(TestLayer.random(LAYER_BYTES[i], 300, 100 + i, TestLayer.Compression.GZIP));
            }
            PushedImage pushed = new ImagePusher(registry).pushImage("bench/pull", "1", image.build());
            String reference = pushed.reference();
            System.out.printf(
                    "image %s: %d layers, %.1f MB compressed%n", reference, LAYER_BYTES.length, pushed.size() / 1e6);

            List<Double> berthd = new ArrayList<>();
            List<Double> containerd = new ArrayList<>();
            double ctrStart = Double.NaN;
            long containerdRss = -1;
            long berthdRss;
            try (BenchBerthd daemon = BenchBerthd.start(work);
                    ContainerdPeer peer = ContainerdPeer.available() ? startPeer(work) : null) {
                if (peer == null) {
                    System.out.println(
                            "containerd column skipped: containerd or ctr not usable (apt-get install containerd)");
                }
                for (int run = 0; run <= RUNS; run++) {
                    double b = timeBerthd(daemon, reference);
                    double c = peer == null ? Double.NaN : timeContainerd(peer, reference);
                    if (run > 0) {
                        berthd.add(b);
                        containerd.add(c);
                    }
                }
                if (peer != null) {
                    List<Double> starts = new ArrayList<>();
                    for (int i = 0; i < RUNS; i++) {
                        long t = System.nanoTime();
                        peer.ctr(List.of("version"), 10);
                        starts.add((System.nanoTime() - t) / 1e6);
                    }
                    ctrStart = median(starts);
                    containerdRss = peer.rssKib();
                }
                berthdRss = daemon.rssKib();
            }
            Result result = new Result(berthd, containerd, ctrStart, berthdRss, containerdRss, pushed.size());
            print(result);
            return result;
        } finally {
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    private static ContainerdPeer startPeer(Path work) {
        try {
            return ContainerdPeer.start(work);
        } catch (IOException | InterruptedException e) {
            System.out.println("containerd column skipped: " + e.getMessage());
            return null;
        }
    }

    private static double timeBerthd(BenchBerthd daemon, String reference) throws IOException {
        long start = System.nanoTime();
        daemon.images()
                .pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(reference))
                        .build());
        double millis = (System.nanoTime() - start) / 1e6;
        daemon.images()
                .removeImage(RemoveImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(reference))
                        .build());
        try (Stream<Path> snapshots = Files.list(daemon.root().resolve("snapshots"));
                Stream<Path> blobs = Files.list(daemon.root().resolve("content/blobs/sha256"))) {
            if (snapshots.findAny().isPresent() || blobs.findAny().isPresent()) {
                throw new IllegalStateException("berthd kept content after RemoveImage; runs would not be cold");
            }
        }
        return millis;
    }

    private static double timeContainerd(ContainerdPeer peer, String reference)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        peer.pull(reference);
        double millis = (System.nanoTime() - start) / 1e6;
        peer.removeAndVerifyEmpty(reference);
        return millis;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void print(Result r) {
        System.out.println();
        System.out.printf(
                "PULL BENCHMARK: %d runs each after one warm-up, %.1f MB / 5 layers, cold stores%n",
                RUNS, r.imageBytes() / 1e6);
        System.out.printf("%-28s %10s %10s %10s%n", "", "median ms", "min ms", "max ms");
        row("berthd PullImage (gRPC)", r.berthdMillis());
        if (!r.containerdMillis().isEmpty()
                && !Double.isNaN(r.containerdMillis().getFirst())) {
            row("containerd (ctr pull)", r.containerdMillis());
            System.out.printf(
                    "ctr process start alone (ctr version): %.1f ms, included in the containerd column%n",
                    r.ctrStartMillis());
            double ratio = median(r.berthdMillis()) / median(r.containerdMillis());
            System.out.printf(
                    "berthd / containerd = %.2fx  goal <= 1.00x: %s%n", ratio, ratio <= 1.0 ? "PASS" : "MISS");
            System.out.printf(
                    "RSS after the runs: berthd %d MiB, containerd %d MiB%n",
                    r.berthdRssKib() / 1024, r.containerdRssKib() / 1024);
        } else {
            System.out.printf("RSS after the runs: berthd %d MiB%n", r.berthdRssKib() / 1024);
        }
    }

    private static void row(String name, List<Double> values) {
        System.out.printf(
                "%-28s %10.1f %10.1f %10.1f%n",
                name,
                median(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }
}
