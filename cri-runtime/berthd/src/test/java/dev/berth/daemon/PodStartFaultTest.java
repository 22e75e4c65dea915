package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.Container;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.PodSandbox;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.testing.HostCgroups;
import dev.berth.testing.PodClient;
import dev.berth.testing.RestartBed;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.cri.BerthdProcess;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.Processes;
import dev.berth.testkit.registry.RegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * berthd SIGKILLed at a random moment while 20 pods start at once (RunPodSandbox, CreateContainer, StartContainer
 * each), round after round, and started again on the same root and state each time. After every restart each CRI
 * call that was under way either took effect whole or left nothing: a pod is READY (its container, if listed,
 * created or running) or not listed with nothing of it left on the node; what the client saw succeed is there.
 * At the end, once every pod is removed, nothing leaks. {@code -Dberth.fault.rounds=N} (default 10) and
 * {@code -Dberth.fault.seed=S} repeat or reproduce it.
 */
class PodStartFaultTest {

    private static final String CGROUP_MARKER = "berthfault";
    private static final int PODS = 20;
    private static RegistryFixture registry;
    private static String busybox;

    private RestartBed bed;

    @BeforeAll
    static void startRegistry() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        registry = RegistryFixture.start();
        busybox = new ImagePusher(registry)
                .pushImage("fault/busybox", "1", BusyboxImage.fromHost().image())
                .reference();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    /** How far one pod's start got, as its client saw it. */
    private static final class Attempt {
        final PodSandboxConfig config;
        volatile String podId;
        volatile String containerId;
        volatile boolean started;

        Attempt(PodSandboxConfig config) {
            this.config = config;
        }
    }

    @Test
    void everyPodStartCutShortBySigkillIsWholeOrGoneAfterRestart() throws Exception {
        int rounds = Integer.getInteger("berth.fault.rounds", 10);
        long seed = Long.getLong("berth.fault.seed", System.nanoTime());
        Random random = new Random(seed);
        bed = new RestartBed("berthd-fault-", CGROUP_MARKER, busybox);
        bed.start();
        ExecutorService clients =
                Executors.newFixedThreadPool(PODS, Thread.ofVirtual().factory());
        try {
            // a round nobody kills: how long 20 starts take here, so kills land anywhere in one
            long before = System.nanoTime();
            List<Attempt> warmup = startPods(clients, "warm", Long.MAX_VALUE);
            long fullMillis = (System.nanoTime() - before) / 1_000_000;
            System.out.printf("%d pods started in %d ms with no kill%n", PODS, fullMillis);
            assertThat(warmup).allMatch(a -> a.started);
            checkWholeOrGone(warmup);
            removeAll(clients);
            checkCgroupsGone(warmup, "warm-up");

            for (int round = 0; round < rounds; round++) {
                // anywhere in the starts; the warm-up's own time includes its first-call costs, so a little less
                long killAfter = (long) (random.nextDouble() * fullMillis * 0.9);
                String context =
                        "round %d of %d, SIGKILL after %d ms (seed %d)".formatted(round, rounds, killAfter, seed);
                long roundStart = System.nanoTime();
                List<Attempt> attempts = startPods(clients, "r" + round, killAfter);
                long killed = System.nanoTime();
                bed.start();
                long serving = System.nanoTime();
                awaitRecovered(context);
                long recovered = System.nanoTime();
                try {
                    checkWholeOrGone(attempts);
                } catch (AssertionError e) {
                    throw new AssertionError(context + ": " + e.getMessage() + "\nberthd log:\n" + bed.log(), e);
                }
                long checked = System.nanoTime();
                removeAll(clients);
                checkCgroupsGone(attempts, context);
                System.out.printf(
                        "%s: %d of %d pods started whole; starts %d ms, restart %d ms, recovery %d ms, checks %d ms,"
                                + " removal %d ms%n",
                        context,
                        attempts.stream().filter(a -> a.started).count(),
                        PODS,
                        (killed - roundStart) / 1_000_000,
                        (serving - killed) / 1_000_000,
                        (recovered - serving) / 1_000_000,
                        (checked - recovered) / 1_000_000,
                        (System.nanoTime() - checked) / 1_000_000);
            }
            bed.removeAllAndCheckForLeaks();
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Starts {@link #PODS} pods at once and SIGKILLs berthd after {@code killAfterMillis} (if they are not all done
     * by then); returns once every client call has ended. The calls go to this berthd only, never to the next one.
     */
    private List<Attempt> startPods(ExecutorService clients, String prefix, long killAfterMillis) throws Exception {
        BerthdProcess berthd = bed.berthd();
        PodClient pods = new PodClient(berthd::runtime, bed.base().resolve("logs"), CGROUP_MARKER);
        List<Attempt> attempts = new ArrayList<>();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            Attempt attempt = new Attempt(pods.pod(prefix + "-" + i).build());
            attempts.add(attempt);
            calls.add(CompletableFuture.runAsync(
                    () -> {
                        attempt.podId = pods.run(attempt.config);
                        attempt.containerId = pods.create(
                                attempt.podId,
                                attempt.config,
                                pods.container("sleep", busybox, "sleep", "1000")
                                        .build());
                        berthd.runtime()
                                .startContainer(StartContainerRequest.newBuilder()
                                        .setContainerId(attempt.containerId)
                                        .build());
                        attempt.started = true;
                    },
                    clients));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
        if (killAfterMillis == Long.MAX_VALUE) {
            all.get(120, TimeUnit.SECONDS);
        } else {
            try {
                all.get(killAfterMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // still starting (or some call failed): either way berthd dies now
            }
            bed.kill();
            all.exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
        return attempts;
    }

    /** A pod cut short in RunPodSandbox is listed NOTREADY while it is rolled back; then it is gone. */
    private void awaitRecovered(String context) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (bed.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList().stream()
                .anyMatch(p -> p.getState() != PodSandboxState.SANDBOX_READY)) {
            assertThat(System.currentTimeMillis())
                    .as("%s: pods still NOTREADY a minute after the restart: %s", context, bed.log())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void checkWholeOrGone(List<Attempt> attempts) throws Exception {
        Map<String, PodSandbox> podsByUid =
                bed.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList().stream()
                        .collect(Collectors.toMap(p -> p.getMetadata().getUid(), Function.identity()));
        List<Container> containers = bed.runtime()
                .listContainers(ListContainersRequest.getDefaultInstance())
                .getContainersList();
        Map<String, List<Container>> containersByPod =
                containers.stream().collect(Collectors.groupingBy(Container::getPodSandboxId));
        HostCgroups cgroups = HostCgroups.detect();
        for (Attempt attempt : attempts) {
            String uid = attempt.config.getMetadata().getUid();
            String name = attempt.config.getMetadata().getName();
            PodSandbox pod = podsByUid.get(uid);
            if (pod == null) {
                assertThat(attempt.podId)
                        .as("pod %s: RunPodSandbox succeeded, the pod is gone", name)
                        .isNull();
                assertThat(cgroups.everywhere(attempt.config.getLinux().getCgroupParent()))
                        .as("pod %s is gone, its cgroup too", name)
                        .noneMatch(Files::isDirectory);
                continue;
            }
            assertThat(pod.getState()).as("pod %s", name).isEqualTo(PodSandboxState.SANDBOX_READY);
            if (attempt.podId != null) {
                assertThat(pod.getId()).as("pod %s", name).isEqualTo(attempt.podId);
            }
            List<Container> own = containersByPod.getOrDefault(pod.getId(), List.of());
            assertThat(own).as("containers of pod %s", name).hasSizeLessThanOrEqualTo(1);
            if (attempt.containerId != null) {
                assertThat(own)
                        .as("pod %s: CreateContainer succeeded", name)
                        .extracting(Container::getId)
                        .containsExactly(attempt.containerId);
            }
            for (Container container : own) {
                assertThat(container.getState())
                        .as("container of pod %s", name)
                        .isIn(ContainerState.CONTAINER_CREATED, ContainerState.CONTAINER_RUNNING);
            }
            if (attempt.started) {
                assertThat(own.getFirst().getState())
                        .as("pod %s: StartContainer succeeded", name)
                        .isEqualTo(ContainerState.CONTAINER_RUNNING);
            }
        }
        Set<String> podIds = podsByUid.values().stream().map(PodSandbox::getId).collect(Collectors.toSet());
        Set<String> containerIds = containers.stream().map(Container::getId).collect(Collectors.toSet());
        Path state = bed.base().resolve("state");
        // what the listed pods and containers hold, and nothing else
        assertThat(entries(state.resolve("ns"))).as("pinned namespaces").isEqualTo(podIds);
        assertThat(entries(state.resolve("sandboxes"))).as("pod files").isEqualTo(podIds);
        assertThat(entries(state.resolve("containers"))).as("bundles").isEqualTo(containerIds);
        assertThat(entries(bed.base().resolve("root/containers-rw")))
                .as("writable layers")
                .isEqualTo(containerIds);
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.contains(bed.base().toString()))
                .toList();
        assertThat(mounts.stream().filter(line -> line.contains(" - overlay ")))
                .as("rootfs overlays")
                .hasSize(containerIds.size());
        assertThat(mounts.stream().filter(line -> line.contains("/shm ")))
                .as("pod shm mounts")
                .hasSize(podIds.size());
        String veths = Processes.run(
                List.of("ip", "-o", "link", "show", "master", bed.network().bridge()), 10);
        assertThat(veths.lines().filter(line -> !line.isBlank()))
                .as("veths on the pod bridge")
                .hasSize(podIds.size());
        assertThat(conmons()).as("conmon processes").hasSize(containerIds.size());
        String runc =
                Processes.run(List.of("runc", "--root", state.resolve("runc").toString(), "list", "-q"), 10);
        assertThat(runc.lines().filter(line -> !line.isBlank()).collect(Collectors.toSet()))
                .as("runc containers")
                .isEqualTo(containerIds);
    }

    private List<String> conmons() throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    String program = cmdline.split("\0", 2)[0];
                    if (program.endsWith("conmon")
                            && cmdline.contains(bed.base().toString())) {
                        found.add(proc.getFileName().toString());
                    }
                } catch (java.io.IOException e) {
                    // not a process, or it exited meanwhile
                }
            }
        }
        return found;
    }

    private static Set<String> entries(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /**
     * Once RemovePodSandbox returned, nothing may bring a pod's cgroups back: a runtime process the killed berthd
     * started and recovery missed would (runc makes {@code <parent>/<pod>/<container>} when it creates).
     */
    private void checkCgroupsGone(List<Attempt> attempts, String context) throws Exception {
        Thread.sleep(200);
        HostCgroups cgroups = HostCgroups.detect();
        for (Attempt attempt : attempts) {
            List<Path> left = cgroups.everywhere(attempt.config.getLinux().getCgroupParent()).stream()
                    .filter(Files::isDirectory)
                    .toList();
            if (!left.isEmpty()) {
                String processes = Processes.run(List.of("ps", "-eo", "pid,ppid,etimes,args"), 10)
                        .lines()
                        .filter(line -> line.contains(bed.base().toString()))
                        .collect(Collectors.joining("\n"));
                throw new AssertionError(
                        "%s: pod %s was removed, its cgroups are back or left: %s\nprocesses:\n%s\nberthd log:\n%s"
                                .formatted(
                                        context,
                                        attempt.config.getMetadata().getName(),
                                        subtree(left.getFirst()),
                                        processes,
                                        bed.log()));
            }
        }
    }

    private static List<String> subtree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isDirectory).map(Path::toString).toList();
        }
    }

    /** As kubelet would: every pod removed, several at once. */
    private void removeAll(ExecutorService clients) throws Exception {
        List<CompletableFuture<?>> removals = new ArrayList<>();
        for (PodSandbox pod : bed.runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsList()) {
            removals.add(CompletableFuture.runAsync(
                    () -> bed.runtime()
                            .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                                    .setPodSandboxId(pod.getId())
                                    .build()),
                    clients));
        }
        CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(bed.runtime()
                        .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                        .getItemsList())
                .isEmpty();
    }
}
