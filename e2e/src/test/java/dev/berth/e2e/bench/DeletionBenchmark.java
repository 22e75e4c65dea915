package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pod deletion: berthd against containerd 1.6 (CRI plugin), the same requests to both on the same CNI network, one
 * pod at a time, the lanes' order swapped every round so that neither always runs on a warmer (or busier) machine.
 * Each round deletes one pod per runtime as kubelet 1.32 does (StopContainer with the grace period, ContainerStatus
 * until the exit shows, StopPodSandbox, RemovePodSandbox) and one the short way (StopPodSandbox + RemovePodSandbox of
 * a running pod); see {@link DeletionLane}. Goals: the kubelet-ordered deletion no slower than containerd's, the short
 * way at most half containerd's. A runtime that cannot run fails the benchmark: a missing column proves nothing.
 */
public final class DeletionBenchmark {

    public static final int DEFAULT_ROUNDS = 40;
    static final String CGROUP_ROOT = "berth-del-bench";
    /** Away from the other benchmarks' and the tests' networks, which may run on the same host at the same time. */
    static final String BRIDGE = "berthdelbench0";

    static final String SUBNET = "10.194.0.0/16";
    /** The steps of berthd's DEBUG phase lines that deletions log. */
    private static final List<String> TEARDOWN_STEPS =
            List.of("StopContainer", "StopPodSandbox", "SandboxTeardown", "ContainerTeardown", "RemovePodSandbox");

    /** One runtime's samples per step (warm-up round excluded) and, for berthd, its own phase timings. */
    public record Column(String name, Map<String, List<Double>> millis, PhaseBreakdown inside) {}

    public record Result(int rounds, Column berthd, Column containerd) {}

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS);
    }

    /** {@code rounds} rounds, the first a warm-up not counted. */
    public static Result run(int rounds) throws Exception {
        if (rounds < 2) {
            throw new IllegalArgumentException("need at least 2 rounds (one is the warm-up), got " + rounds);
        }
        if (!ContainerdCri.available()) {
            throw new IOException("containerd 1.6 is the peer: " + ContainerdCri.CONTAINERD + " or "
                    + ContainerdCri.RUNC + " missing (apt-get install containerd runc)");
        }
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-del-bench-");
        CommandRunner commands = new CommandRunner(Files.createDirectories(work.resolve("scratch")));
        HostCleanup host = new HostCleanup(commands);
        String run = HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextInt())
                .substring(0, 6);
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try (RegistryFixture registry = RegistryFixture.start()) {
            BusyboxImage busybox = BusyboxImage.fromHost();
            ImagePusher pusher = new ImagePusher(registry);
            String image =
                    pusher.pushImage("bench/busybox", "1", busybox.image("sh")).reference();
            String pause = pusher.pushImage("pause", "bench", busybox.image("sleep", "2147483647"))
                    .reference();
            BenchNetwork network = BenchNetwork.create(work, BRIDGE, SUBNET);

            BenchBerthd berthd = BenchBerthd.start(work, network);
            resources.push(berthd);
            CriClient berthdClient = CriClient.connect(berthd.socket());
            resources.push(berthdClient);
            berthdClient.pullImage(image);
            ContainerdCri containerd = ContainerdCri.start(work, registry.hostPort(), pause, network, commands);
            resources.push(containerd);
            containerd.client().pullImage(pause);
            containerd.client().pullImage(image);

            Path logs = work.resolve("pods");
            DeletionLane berthdLane =
                    new DeletionLane("berthd", berthdClient, new PodSpecs(run + "b", logs, image, CGROUP_ROOT));
            DeletionLane containerdLane = new DeletionLane(
                    "containerd 1.6 (CRI)", containerd.client(), new PodSpecs(run + "c", logs, image, CGROUP_ROOT));
            for (int round = 0; round < rounds; round++) {
                List<DeletionLane> order = LaneOrder.forRound(List.of(berthdLane, containerdLane), round);
                for (DeletionLane lane : order) {
                    lane.kubeletOrdered(2 * round, round > 0);
                }
                for (DeletionLane lane : order) {
                    lane.stopAndRemove(2 * round + 1, round > 0);
                }
            }
            List<String> failures = new ArrayList<>(berthdLane.failures());
            failures.addAll(containerdLane.failures());
            if (!failures.isEmpty()) {
                throw new IOException("the deletions left cgroups behind: " + failures);
            }
            Result result = new Result(
                    rounds,
                    new Column(berthdLane.name(), berthdLane.millis(), teardownPhases(berthd, berthdLane.countedIds())),
                    new Column(containerdLane.name(), containerdLane.millis(), PhaseBreakdown.empty()));
            new DeletionReport(System.out).print(result);
            return result;
        } finally {
            closeAll(resources);
            host.removeCgroupTree(CGROUP_ROOT);
            host.deleteLink(BRIDGE);
            host.unmountBelow(work);
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /** berthd's phase lines of the counted deletions (the warm-up round's are not among {@code ids}). */
    private static PhaseBreakdown teardownPhases(BenchBerthd berthd, Set<String> ids) throws IOException {
        List<String> lines = berthd.phaseLines().stream()
                .filter(l -> TEARDOWN_STEPS.stream().anyMatch(step -> l.contains(" " + step + " phases ms: ")))
                .toList();
        return PhaseBreakdown.parse(lines, ids);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.out.println(
                        "closing " + resource.getClass().getSimpleName() + " failed: " + BenchLane.describe(e));
            }
        }
    }
}
