package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pod start: berthd against containerd 1.6 (CRI plugin) and against the floor, raw {@code runc run -d},
 * all in one run on the same machine, interleaved pod by pod so background load hits every column
 * alike. A pod start is RunPodSandbox + CreateContainer + StartContainer of a busybox {@code sleep 3600}
 * whose image is already pulled. With {@value #DEFAULT_PODS} pods running on each runtime it then times
 * ListContainers and reads the daemons' RSS. Goals: berthd's median ≤ containerd's and ≤ 2× the floor,
 * ListContainers p50 under 2 ms.
 *
 * <p>A runtime that cannot run (containerd missing, berthd without a RuntimeService yet) is printed as
 * skipped with the reason; only a failure of the bench itself (registry, image) fails the run.
 */
public final class PodStartBenchmark {

    public static final int DEFAULT_PODS = 100;
    static final int LIST_CALLS = 200;
    static final String CGROUP_ROOT = "berth-bench";
    /** Away from berthd's and its tests' networks, which may run on the same host at the same time. */
    static final String BRIDGE = "berthbench0";

    static final String SUBNET = "10.198.0.0/16";

    /**
     * One runtime's figures. {@code skipped} is null when it ran; the RSS figures are -1 where not
     * measured; {@code helpersRssKib} is what it runs beside the daemon per pod (containerd's shims,
     * berthd's conmons); {@code callMillis} each CRI call of a pod start as the client timed it,
     * {@code inside} the runtime's own phase timings (berthd's), {@code versionMillis} Version calls
     * timed after ListContainers (the runtime's cost of any call).
     */
    public record Column(
            String name,
            String skipped,
            List<Double> podStartMillis,
            List<Double> listContainersMillis,
            int listedContainers,
            List<Double> removeMillis,
            long idleRssKib,
            long busyRssKib,
            long helpersRssKib,
            Map<String, List<Double>> callMillis,
            PhaseBreakdown inside,
            List<Double> versionMillis) {

        public boolean ran() {
            return skipped == null && !podStartMillis.isEmpty();
        }
    }

    public record Result(int pods, Column berthd, Column containerd, Column floor) {}

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PODS);
    }

    public static Result run() throws Exception {
        return run(DEFAULT_PODS);
    }

    /**
     * Runs the whole benchmark with {@code pods} pods on each runtime (one more warm-up start not
     * counted is among them) and prints the report.
     */
    public static Result run(int pods) throws Exception {
        if (pods < 2) {
            throw new IllegalArgumentException("need at least 2 pods (one is the warm-up), got " + pods);
        }
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-pod-bench-");
        CommandRunner commands = new CommandRunner(work.resolve("scratch"));
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
            // containerd needs a sandbox ("pause") image; anything that sleeps forever serves.
            String pause = pusher.pushImage("pause", "bench", busybox.image("sleep", "2147483647"))
                    .reference();
            // berthd and containerd share the bridge and host-local's allocations, so their pods never collide
            BenchNetwork network = BenchNetwork.create(work, BRIDGE, SUBNET);
            PodSpecs specs = new PodSpecs(run, work.resolve("pods"), image, CGROUP_ROOT);

            List<BenchLane> lanes = List.of(
                    berthdLane(work, specs, network, resources),
                    containerdLane(work, registry.hostPort(), pause, network, specs, commands, resources),
                    floorLane(work, busybox, commands, run));
            try {
                lanes.forEach(BenchLane::sampleIdleRss);
                for (int i = 0; i < pods; i++) {
                    for (BenchLane lane : lanes) {
                        lane.startPod(i, i == 0);
                    }
                }
                lanes.forEach(BenchLane::sampleBusyRss);
                lanes.forEach(lane -> lane.timeListContainers(LIST_CALLS));
            } finally {
                lanes.forEach(BenchLane::removeAll);
            }
            Result result = new Result(
                    pods,
                    lanes.get(0).column(),
                    lanes.get(1).column(),
                    lanes.get(2).column());
            new PodStartReport(System.out).print(result);
            return result;
        } finally {
            closeAll(resources);
            host.removeCgroupTree(CGROUP_ROOT);
            host.deleteLink(BRIDGE);
            host.unmountBelow(work);
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /** berthd in its own JVM on its own socket, with the image pulled through CRI before the clock runs. */
    private static BenchLane berthdLane(
            Path work, PodSpecs specs, BenchNetwork network, Deque<AutoCloseable> resources) {
        try {
            BenchBerthd daemon = BenchBerthd.start(work, network);
            resources.push(daemon);
            CriClient client = CriClient.connect(daemon.socket());
            resources.push(client);
            client.pullImage(specs.image());
            return new BenchLane(
                    new CriPodStarter("berthd", client, specs),
                    client,
                    daemon::rssKib,
                    daemon::conmonsRssKib,
                    () -> PhaseBreakdown.parse(daemon.phaseLines(), 1));
        } catch (Exception e) {
            return BenchLane.skipped("berthd", BenchLane.describe(e));
        }
    }

    private static BenchLane containerdLane(
            Path work,
            String registry,
            String pause,
            BenchNetwork network,
            PodSpecs specs,
            CommandRunner commands,
            Deque<AutoCloseable> resources) {
        if (!ContainerdCri.available()) {
            return BenchLane.skipped(
                    "containerd 1.6 (CRI)",
                    ContainerdCri.CONTAINERD + " or " + ContainerdCri.RUNC
                            + " missing (apt-get install containerd runc)");
        }
        try {
            ContainerdCri containerd = ContainerdCri.start(work, registry, pause, network, commands);
            resources.push(containerd);
            // Pulled up front so that no pod start pays for a pull, as on a node that ran pods before.
            containerd.client().pullImage(pause);
            containerd.client().pullImage(specs.image());
            return new BenchLane(
                    new CriPodStarter("containerd 1.6 (CRI)", containerd.client(), specs),
                    containerd.client(),
                    containerd::rssKib,
                    containerd::shimsRssKib);
        } catch (Exception e) {
            return BenchLane.skipped("containerd 1.6 (CRI)", BenchLane.describe(e));
        }
    }

    private static BenchLane floorLane(Path work, BusyboxImage busybox, CommandRunner commands, String run) {
        try {
            return new BenchLane(
                    RuncFloor.prepare(work, busybox, commands, CGROUP_ROOT, run), null, () -> -1, () -> -1);
        } catch (IOException e) {
            return BenchLane.skipped("runc run -d (floor)", BenchLane.describe(e));
        }
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
