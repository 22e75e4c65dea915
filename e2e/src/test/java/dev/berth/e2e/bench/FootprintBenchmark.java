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
import java.util.concurrent.ThreadLocalRandom;

/**
 * berthd's footprint against containerd 1.6 (CRI plugin), berthd run as {@code ./berth daemon} runs it (shaded jar,
 * launcher flags, AOT cache; see {@link JarBerthd}): the time from exec to a served Version call with nothing to
 * recover, both daemons' RSS idle (fresh, then with the image pulled) and with {@value #BUSY_PODS} pods, and ListContainers with {@value #LIST_PODS}
 * running timed interleaved (one call to each runtime in turn, the order alternating round by round, so background
 * load hits both alike). Goals (issue 13): RSS idle ≤ 64 MiB and ≤ 96 MiB busy, served ≤ 500 ms, ListContainers
 * p50 ≤ containerd's.
 */
public final class FootprintBenchmark {

    static final int LIST_PODS = 30;
    static final int BUSY_PODS = 100;
    static final int LIST_CALLS = 400;
    /** Between the fresh daemons' timings and the warm ones: berthd's C1 has compiled the list path by then. */
    static final int WARMING_CALLS = 2000;

    static final int STARTS = 5;
    static final long IDLE_GOAL_KIB = 64 * 1024;
    static final long BUSY_GOAL_KIB = 96 * 1024;
    static final double SERVED_GOAL_MILLIS = 500;
    static final String CGROUP_ROOT = "berth-foot-bench";
    /** Away from the other benchmarks' and the tests' networks, which may run on the same host at the same time. */
    static final String BRIDGE = "berthfootb0";

    static final String SUBNET = "10.193.0.0/16";
    private static final long SETTLE_MILLIS = 5_000;

    /** A daemon's memory: VmRSS and smaps_rollup's Pss and Anonymous, KiB. */
    record Memory(long rssKib, long pssKib, long anonymousKib) {
        static Memory of(long pid) throws IOException {
            long rss = Rss.ofPid(pid);
            long pss = -1;
            long anonymous = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    pss = kib(line);
                } else if (line.startsWith("Anonymous:")) {
                    anonymous = kib(line);
                }
            }
            return new Memory(rss, pss, anonymous);
        }

        private static long kib(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }

    public record Result(
            List<JarBerthd.Start> starts,
            Memory berthdIdle,
            Memory containerdIdle,
            Memory berthdPulled,
            Memory containerdPulled,
            Memory berthdBusy,
            Memory containerdBusy,
            long conmonsKib,
            long shimsKib,
            List<Double> berthdListMillis,
            List<Double> containerdListMillis,
            List<Double> berthdWarmListMillis,
            List<Double> containerdWarmListMillis,
            int berthdListed,
            int containerdListed) {}

    public static void main(String[] args) throws Exception {
        run();
    }

    public static Result run() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-foot-bench-");
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
            String pause = pusher.pushImage("pause", "bench", busybox.image("sleep", "2147483647"))
                    .reference();
            BenchNetwork network = BenchNetwork.create(work, BRIDGE, SUBNET);
            Path config = work.resolve("berth.yaml");
            Files.writeString(config, """
                    network:
                      confDir: %s
                      pluginDirs: [%s]
                    """.formatted(network.confDir(), network.binDir()));
            PodSpecs specs = new PodSpecs(run, work.resolve("pods"), image, CGROUP_ROOT);

            Path aot = work.resolve("berthd.aot");
            JarBerthd.recordAotCache(aot, work, config);
            List<String> warm = List.of("-XX:AOTCache=" + aot);
            List<JarBerthd.Start> starts = new ArrayList<>();
            for (int i = 0; i < STARTS; i++) {
                try (JarBerthd daemon = JarBerthd.start(warm, work, config)) {
                    starts.add(daemon.served());
                }
            }

            JarBerthd berthd = JarBerthd.start(warm, work, config);
            resources.push(berthd);
            CriClient berthdClient = CriClient.connect(berthd.socket());
            resources.push(berthdClient);
            ContainerdCri containerd = ContainerdCri.start(work, registry.hostPort(), pause, network, commands);
            resources.push(containerd);
            CriPodStarter berthdPods = new CriPodStarter("berthd", berthdClient, specs);
            CriPodStarter containerdPods = new CriPodStarter("containerd", containerd.client(), specs);
            try {
                Thread.sleep(SETTLE_MILLIS);
                Memory berthdIdle = Memory.of(berthd.pid());
                Memory containerdIdle = Memory.of(containerd.pid());
                // a pull builds berthd's registry client (TLS, trust store), which a fresh daemon has not yet
                berthdClient.pullImage(image);
                containerd.client().pullImage(pause);
                containerd.client().pullImage(image);
                Thread.sleep(SETTLE_MILLIS);
                Memory berthdPulled = Memory.of(berthd.pid());
                Memory containerdPulled = Memory.of(containerd.pid());
                for (int i = 0; i < LIST_PODS; i++) {
                    berthdPods.startPod(i);
                    containerdPods.startPod(i);
                }
                int berthdListed = berthdClient.listContainers().size();
                int containerdListed = containerd.client().listContainers().size();
                for (int i = 0; i < 20; i++) {
                    berthdClient.listContainers();
                    containerd.client().listContainers();
                }
                Lists fresh = timeLists(berthdClient, containerd.client());
                // kubelet relists once a second: these are the next ~half hour of a node's calls
                for (int i = 0; i < WARMING_CALLS; i++) {
                    berthdClient.listContainers();
                    containerd.client().listContainers();
                }
                Lists relisted = timeLists(berthdClient, containerd.client());
                for (int i = LIST_PODS; i < BUSY_PODS; i++) {
                    berthdPods.startPod(i);
                    containerdPods.startPod(i);
                }
                Thread.sleep(SETTLE_MILLIS);
                Result result = new Result(
                        starts,
                        berthdIdle,
                        containerdIdle,
                        berthdPulled,
                        containerdPulled,
                        Memory.of(berthd.pid()),
                        Memory.of(containerd.pid()),
                        berthd.conmonsRssKib(),
                        containerd.shimsRssKib(),
                        fresh.berthd(),
                        fresh.containerd(),
                        relisted.berthd(),
                        relisted.containerd(),
                        berthdListed,
                        containerdListed);
                print(result);
                return result;
            } finally {
                removeAll(berthdPods);
                removeAll(containerdPods);
            }
        } finally {
            while (!resources.isEmpty()) {
                AutoCloseable resource = resources.pop();
                try {
                    resource.close();
                } catch (Exception e) {
                    System.out.println(
                            "closing " + resource.getClass().getSimpleName() + " failed: " + BenchLane.describe(e));
                }
            }
            host.removeCgroupTree(CGROUP_ROOT);
            host.deleteLink(BRIDGE);
            host.unmountBelow(work);
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /** ListContainers timings of both runtimes, {@value #LIST_CALLS} calls each, ms. */
    private record Lists(List<Double> berthd, List<Double> containerd) {}

    private static Lists timeLists(CriClient berthd, CriClient containerd) {
        List<Double> berthdList = new ArrayList<>();
        List<Double> containerdList = new ArrayList<>();
        for (int i = 0; i < LIST_CALLS; i++) {
            if (i % 2 == 0) {
                berthdList.add(timeList(berthd));
                containerdList.add(timeList(containerd));
            } else {
                containerdList.add(timeList(containerd));
                berthdList.add(timeList(berthd));
            }
        }
        return new Lists(berthdList, containerdList);
    }

    private static double timeList(CriClient client) {
        long start = System.nanoTime();
        client.listContainers();
        return (System.nanoTime() - start) / 1e6;
    }

    private static void removeAll(CriPodStarter pods) {
        try {
            pods.removeAll();
        } catch (Exception e) {
            System.out.println(pods.name() + ": cleanup through the runtime failed: " + BenchLane.describe(e));
        }
    }

    static void print(Result r) {
        Percentiles served = Percentiles.of(
                r.starts().stream().map(JarBerthd.Start::servedMillis).toList());
        Percentiles cpu = Percentiles.of(
                r.starts().stream().map(JarBerthd.Start::cpuMillis).toList());
        Percentiles berthdList = Percentiles.of(r.berthdListMillis());
        Percentiles containerdList = Percentiles.of(r.containerdListMillis());
        Percentiles berthdWarm = Percentiles.of(r.berthdWarmListMillis());
        Percentiles containerdWarm = Percentiles.of(r.containerdWarmListMillis());
        System.out.println();
        System.out.println("== berthd footprint (shaded jar, launcher flags, AOT cache) vs containerd 1.6 (CRI) ==");
        System.out.printf(
                "berthd exec -> served Version, nothing to recover (%d starts): median %.0f ms (min %.0f, max %.0f),"
                        + " CPU by then median %.0f ms   goal <= %.0f ms: %s%n",
                served.count(),
                served.median(),
                served.min(),
                served.max(),
                cpu.median(),
                SERVED_GOAL_MILLIS,
                served.median() <= SERVED_GOAL_MILLIS ? "met" : "NOT met");
        System.out.printf(
                "RSS idle:            berthd %s   containerd %s   goal berthd <= 64 MiB: %s%n",
                mib(r.berthdIdle()),
                mib(r.containerdIdle()),
                r.berthdIdle().rssKib() <= IDLE_GOAL_KIB ? "met" : "NOT met");
        System.out.printf(
                "RSS idle, image pulled: berthd %s   containerd %s%n",
                mib(r.berthdPulled()), mib(r.containerdPulled()));
        System.out.printf(
                "RSS with %d pods:    berthd %s   containerd %s   goal berthd <= 96 MiB: %s%n",
                BUSY_PODS,
                mib(r.berthdBusy()),
                mib(r.containerdBusy()),
                r.berthdBusy().rssKib() <= BUSY_GOAL_KIB ? "met" : "NOT met");
        System.out.printf(
                "per-pod monitors:    berthd's conmons %.0f MiB   containerd's shims %.0f MiB%n",
                r.conmonsKib() / 1024.0, r.shimsKib() / 1024.0);
        System.out.printf(
                "ListContainers, %d running (%d calls each, interleaved), the daemons' first calls: berthd p50 %.2f"
                        + " p95 %.2f ms (%d listed)   containerd p50 %.2f p95 %.2f ms (%d listed)   goal p50 <="
                        + " containerd's: %s%n",
                LIST_PODS,
                berthdList.count(),
                berthdList.median(),
                berthdList.p95(),
                r.berthdListed(),
                containerdList.median(),
                containerdList.p95(),
                r.containerdListed(),
                berthdList.median() <= containerdList.median() ? "met" : "NOT met");
        System.out.printf(
                "ListContainers, the same after %d more calls each (kubelet's relists of ~%d minutes): berthd p50 %.2f"
                        + " p95 %.2f ms   containerd p50 %.2f p95 %.2f ms   goal p50 <= containerd's: %s%n",
                WARMING_CALLS,
                WARMING_CALLS / 60,
                berthdWarm.median(),
                berthdWarm.p95(),
                containerdWarm.median(),
                containerdWarm.p95(),
                berthdWarm.median() <= containerdWarm.median() ? "met" : "NOT met");
    }

    private static String mib(Memory m) {
        return "%.1f MiB (Pss %.1f, anon %.1f)"
                .formatted(m.rssKib() / 1024.0, m.pssKib() / 1024.0, m.anonymousKib() / 1024.0);
    }
}
