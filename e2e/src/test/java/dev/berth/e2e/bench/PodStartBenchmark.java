package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pod start: berthd against containerd 1.6 (CRI plugin) and against the floor, raw {@code runc run -d} (with and
 * without the RuntimeDefault seccomp profile), all in one
 * run on the same machine, interleaved pod by pod, the order of the lanes reversed every other round
 * ({@link LaneOrder}), so that background load and cache state hit every column alike. A pod start is
 * RunPodSandbox + CreateContainer + StartContainer of a busybox {@code sleep 3600} whose image is already pulled,
 * timed by the same gRPC client for both runtimes, in two shapes: the bench's plain requests ({@link PodSpecs}),
 * whose pods stay running, and kubelet-shaped ones ({@link KubeletPodSpecs}), each stopped and removed right after
 * its start (StopPodSandbox + RemovePodSandbox, timed). With {@value #DEFAULT_PODS} plain pods running on each
 * runtime it then times ListContainers and Version interleaved call by call, reads the daemons' RSS and berthd's
 * own per-phase timings, and removes the pods one per runtime in turn, timed. The report checks issue 13's goals.
 *
 * <p>Every lane must run: a runtime that will not start or a pod that will not start fails the benchmark with the
 * cause (containerd and runc are in .ci/packages.txt), after the cleanup.
 */
public final class PodStartBenchmark {

    public static final int DEFAULT_PODS = 100;
    static final int LIST_CALLS = 200;
    private static final int LIST_WARM_UPS = 10;
    static final String CGROUP_ROOT = "berth-bench";
    /** Away from berthd's and its tests' networks, which may run on the same host at the same time. */
    static final String BRIDGE = "berthbench0";

    static final String SUBNET = "10.198.0.0/16";

    /**
     * One lane's figures. The RSS figures are -1 where not measured; {@code helpersRssKib} is what it runs beside
     * the daemon per pod (containerd's shims, berthd's conmons); {@code callMillis} each CRI call of a pod start as
     * the client timed it (and {@link CriPodStarter#STOP_REMOVE} for a lane that removes each pod),
     * {@code removeMillis} the removals at the end, {@code inside} the runtime's own phase timings (berthd's),
     * {@code versionMillis} Version calls timed beside ListContainers (the runtime's cost of any call).
     */
    public record Column(
            String name,
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

        List<Double> stopRemoveMillis() {
            return callMillis.getOrDefault(CriPodStarter.STOP_REMOVE, List.of());
        }
    }

    /**
     * {@code berthd}, {@code containerd}: plain requests, pods kept; the {@code Kubelet} ones: kubelet-shaped;
     * {@code floorSeccomp}: the floor with the RuntimeDefault seccomp profile kubelet-shaped pods ask for.
     */
    public record Result(
            int pods,
            Column berthd,
            Column containerd,
            Column floor,
            Column floorSeccomp,
            Column berthdKubelet,
            Column containerdKubelet) {}

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PODS);
    }

    public static Result run() throws Exception {
        return run(DEFAULT_PODS);
    }

    /**
     * Runs the whole benchmark with {@code pods} pods on each lane (one more warm-up start not counted is among
     * them) and prints the report.
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
            Path kubelet = work.resolve("kubelet");

            BenchBerthd daemon = BenchBerthd.start(work, network);
            resources.push(daemon);
            CriClient berthd = CriClient.connect(daemon.socket());
            resources.push(berthd);
            String berthdImage = berthd.pullImage(image);
            ContainerdCri containerd = ContainerdCri.start(work, registry.hostPort(), pause, network, commands);
            resources.push(containerd);
            // Pulled up front so that no pod start pays for a pull, as on a node that ran pods before.
            containerd.client().pullImage(pause);
            String containerdImage = containerd.client().pullImage(image);

            BenchLane.PhaseProbe berthdPhases = ids -> PhaseBreakdown.parse(daemon.phaseLines(), ids);
            BenchLane berthdPlain = new BenchLane(
                    new CriPodStarter("berthd", berthd, specs),
                    berthd,
                    daemon::rssKib,
                    daemon::conmonsRssKib,
                    berthdPhases);
            BenchLane berthdKubelet = new BenchLane(
                    new CriPodStarter(
                            "berthd, kubelet-shaped",
                            berthd,
                            new KubeletPodSpecs(run, "b", kubelet, berthdImage, image, CGROUP_ROOT),
                            true),
                    berthd,
                    () -> -1,
                    () -> -1,
                    berthdPhases);
            BenchLane containerdPlain = new BenchLane(
                    new CriPodStarter("containerd 1.6 (CRI)", containerd.client(), specs),
                    containerd.client(),
                    containerd::rssKib,
                    containerd::shimsRssKib);
            BenchLane containerdKubelet = new BenchLane(
                    new CriPodStarter(
                            "containerd, kubelet-shaped",
                            containerd.client(),
                            new KubeletPodSpecs(run, "c", kubelet, containerdImage, image, CGROUP_ROOT),
                            true),
                    containerd.client(),
                    () -> -1,
                    () -> -1);
            BenchLane floor = new BenchLane(
                    RuncFloor.prepare(work, busybox, commands, CGROUP_ROOT, run, false), null, () -> -1, () -> -1);
            BenchLane floorSeccomp = new BenchLane(
                    RuncFloor.prepare(work, busybox, commands, CGROUP_ROOT, run, true), null, () -> -1, () -> -1);
            // berthd's lanes first on even rounds, containerd's on odd ones, the floors between them
            List<BenchLane> lanes =
                    List.of(berthdPlain, berthdKubelet, floor, floorSeccomp, containerdKubelet, containerdPlain);
            List<BenchLane> kept = List.of(berthdPlain, containerdPlain);
            Throwable failure = null;
            try {
                for (BenchLane lane : lanes) {
                    lane.sampleIdleRss();
                }
                for (int i = 0; i < pods; i++) {
                    for (BenchLane lane : LaneOrder.forRound(lanes, i)) {
                        lane.startPod(i, i == 0);
                    }
                }
                for (BenchLane lane : lanes) {
                    lane.sampleBusy();
                }
                timeListContainers(kept);
                removeInTurn(kept);
            } catch (Throwable t) {
                failure = t;
                throw t;
            } finally {
                try {
                    removeAll(lanes);
                } catch (Exception e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
            Result result = new Result(
                    pods,
                    berthdPlain.column(),
                    containerdPlain.column(),
                    floor.column(),
                    floorSeccomp.column(),
                    berthdKubelet.column(),
                    containerdKubelet.column());
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

    /** ListContainers, then Version, call by call on each runtime in turn, the order reversed every other call. */
    private static void timeListContainers(List<BenchLane> lanes) {
        for (int i = 0; i < LIST_WARM_UPS; i++) {
            LaneOrder.forRound(lanes, i).forEach(BenchLane::warmUpListContainers);
        }
        for (int i = 0; i < LIST_CALLS; i++) {
            LaneOrder.forRound(lanes, i).forEach(BenchLane::timeListContainers);
        }
        for (int i = 0; i < LIST_CALLS; i++) {
            LaneOrder.forRound(lanes, i).forEach(BenchLane::timeVersion);
        }
    }

    /** Stops and removes the pods one per runtime in turn, so that both remove with as many pods left. */
    private static void removeInTurn(List<BenchLane> lanes) {
        boolean any = true;
        for (int round = 0; any; round++) {
            any = false;
            for (BenchLane lane : LaneOrder.forRound(lanes, round)) {
                any |= lane.removeNext();
            }
        }
    }

    /** Every lane's cleanup runs; the first failure is thrown after all of them, with the others suppressed. */
    private static void removeAll(List<BenchLane> lanes) throws Exception {
        Exception first = null;
        for (BenchLane lane : lanes) {
            try {
                lane.removeAll();
            } catch (Exception e) {
                IllegalStateException failure = new IllegalStateException(
                        lane.name() + ": cleanup through the runtime failed: " + BenchLane.describe(e), e);
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        if (first != null) {
            throw first;
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
