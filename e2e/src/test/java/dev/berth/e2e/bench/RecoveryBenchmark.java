package dev.berth.e2e.bench;

import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.process.CommandRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * berthd's start-up after a crash with half-made pods: {@code n} RunPodSandbox calls are held inside CNI ADD (the
 * bridge plugin has made the veth and taken an IP, a plugin chained after it waits), berthd is SIGKILLed, the
 * held plugins finish, and berthd starts again on the same root and state. Measured from the process start:
 * until the socket answers a Version call, and until recovery (the rollback of every half-made pod) is complete,
 * which berthd logs; with berthd's own figure for the recovery beside them.
 */
public final class RecoveryBenchmark {

    public static final List<Integer> DEFAULT_SIZES = List.of(0, 10, 50);
    static final String CGROUP_ROOT = "berth-recovery-bench";
    private static final String BRIDGE = "berthrecov0";
    private static final String SUBNET = "10.197.0.0/16";
    private static final Pattern RECOVERED = Pattern.compile("recovery complete in (\\d+) ms");

    /** One restart: milliseconds from the process start until it served, until recovery was complete. */
    public record Sample(int halfMadePods, double servingMillis, double recoveredMillis, double berthdMillis) {}

    public record Result(List<Sample> samples) {}

    private RecoveryBenchmark() {}

    public static Result run(List<Integer> sizes, int runs) throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-recovery-bench-");
        HostCleanup host = new HostCleanup(new CommandRunner(Files.createDirectories(work.resolve("scratch"))));
        List<Sample> samples = new ArrayList<>();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try {
            BenchNetwork network = heldNetwork(work);
            for (int run = 0; run < runs; run++) {
                for (int n : sizes) {
                    samples.add(restartWith(work, network, n, clients));
                }
            }
            Result result = new Result(samples);
            print(result, runs, System.out);
            return result;
        } finally {
            clients.shutdownNow();
            host.removeCgroupTree(CGROUP_ROOT);
            host.deleteLink(BRIDGE);
            host.unmountBelow(work);
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /**
     * The bench network's bridge and host-local, then "held": its ADD signals and waits for a release file, then
     * fails (the caller is gone by then); its DEL succeeds at once.
     */
    private static BenchNetwork heldNetwork(Path work) throws IOException {
        Path bin = Files.createDirectories(work.resolve("cni-bin"));
        for (String plugin : List.of("bridge", "host-local", "loopback")) {
            Files.createSymbolicLink(bin.resolve(plugin), BenchNetwork.CNI_BIN.resolve(plugin));
        }
        Path marks = Files.createDirectories(work.resolve("held"));
        Path held = bin.resolve("held");
        Files.writeString(held, """
                #!/bin/sh
                if [ "$CNI_COMMAND" = ADD ]; then
                  touch %1$s/started-$CNI_CONTAINERID
                  while [ ! -e %1$s/release ]; do sleep 0.05; done
                  touch %1$s/ended-$CNI_CONTAINERID
                  echo '{"code": 11, "msg": "released"}'; exit 1
                fi
                exit 0
                """.formatted(marks));
        Files.setPosixFilePermissions(held, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path confDir = Files.createDirectories(work.resolve("net.d"));
        Files.writeString(confDir.resolve("10-held.conflist"), """
                {"cniVersion": "1.0.0", "name": "berth-recovery-bench", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true,
                   "ipam": {"type": "host-local", "dataDir": "%s", "ranges": [[{"subnet": "%s"}]]}},
                  {"type": "held"}]}
                """.formatted(BRIDGE, work.resolve("ipam"), SUBNET));
        return new BenchNetwork(confDir, bin, BRIDGE, SUBNET);
    }

    private static Sample restartWith(Path work, BenchNetwork network, int n, ExecutorService clients)
            throws Exception {
        Path marks = work.resolve("held");
        Files.deleteIfExists(marks.resolve("release"));
        BenchBerthd first = BenchBerthd.start(work, network);
        BenchBerthd again = null;
        try {
            List<CompletableFuture<?>> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                PodSandboxConfig pod = pod("held-" + i);
                runs.add(CompletableFuture.runAsync(
                        () -> first.runtime()
                                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                                        .setConfig(pod)
                                        .build()),
                        clients));
            }
            awaitMarks(marks, "started-", n, first);
            first.kill();
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null)
                    .join();
            // the held plugins finish on their own, their caller gone, before the next berthd looks
            Files.createFile(marks.resolve("release"));
            awaitMarks(marks, "ended-", n, first);
            clearMarks(marks);

            // the log is appended to: only what the second berthd writes counts
            int earlierLog = first.log().length();
            long launched = System.nanoTime();
            again = first.startAgain();
            again.runtime().version(VersionRequest.getDefaultInstance());
            double serving = (System.nanoTime() - launched) / 1e6;
            long berthdMillis;
            while (true) {
                Matcher matcher = RECOVERED.matcher(again.log().substring(earlierLog));
                if (matcher.find()) {
                    berthdMillis = Long.parseLong(matcher.group(1));
                    break;
                }
                if ((System.nanoTime() - launched) > 300_000_000_000L) {
                    throw new IllegalStateException("berthd never completed its recovery: " + again.log());
                }
                Thread.sleep(5);
            }
            double recovered = (System.nanoTime() - launched) / 1e6;
            int left = again.runtime()
                    .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                    .getItemsCount();
            if (left != 0) {
                throw new IllegalStateException(left + " half-made pods still listed after recovery: " + again.log());
            }
            return new Sample(n, serving, recovered, berthdMillis);
        } finally {
            if (again != null) {
                again.close();
            } else {
                first.close();
            }
        }
    }

    private static PodSandboxConfig pod(String name) {
        String uid = UUID.randomUUID().toString();
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setNamespace("bench")
                        .setUid(uid))
                .setHostname(name)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent("/" + CGROUP_ROOT + "/" + uid.substring(0, 8))
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(
                                        NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
                .build();
    }

    private static void awaitMarks(Path dir, String prefix, int n, BenchBerthd berthd) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (count(dir, prefix) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        count(dir, prefix) + " of " + n + " pods reached CNI ADD: " + berthd.log());
            }
            Thread.sleep(10);
        }
    }

    private static long count(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .count();
        }
    }

    private static void clearMarks(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    static void print(Result result, int runs, PrintStream out) {
        out.println();
        out.printf(
                "RECOVERY BENCHMARK: berthd SIGKILLed with N pods cut short in RunPodSandbox (inside CNI ADD, veth and IP"
                        + " made), started again on the same root and state; %d runs each, ms from the process start%n",
                runs);
        out.printf(
                "%-24s %6s %14s %14s %16s %16s %18s%n",
                "half-made pods",
                "n",
                "serving p50",
                "serving max",
                "recovered p50",
                "recovered max",
                "berthd's own p50");
        result.samples().stream().map(Sample::halfMadePods).distinct().forEach(n -> {
            List<Sample> of =
                    result.samples().stream().filter(s -> s.halfMadePods() == n).toList();
            Percentiles serving =
                    Percentiles.of(of.stream().map(Sample::servingMillis).toList());
            Percentiles recovered =
                    Percentiles.of(of.stream().map(Sample::recoveredMillis).toList());
            Percentiles own =
                    Percentiles.of(of.stream().map(Sample::berthdMillis).toList());
            out.printf(
                    "%-24s %6d %14.1f %14.1f %16.1f %16.1f %18.1f%n",
                    n + " pods",
                    of.size(),
                    serving.median(),
                    serving.max(),
                    recovered.median(),
                    recovered.max(),
                    own.median());
        });
    }
}
