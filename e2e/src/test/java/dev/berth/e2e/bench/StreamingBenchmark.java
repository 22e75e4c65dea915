package dev.berth.e2e.bench;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.process.CommandRunner;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * berthd's CRI streaming server, against the floors beneath it in the same run: exec round trips of
 * {@code true} (CRI Exec, then SPDY as kubectl through kubelet, and WebSocket v5) beside {@code runc exec}
 * run directly, and port-forward throughput of a GET of {@value #FILE_MIB} MiB of random bytes from busybox
 * httpd in the pod beside a direct TCP connection from the host to the pod's IP. Goals: exec p50 ≤ 1.5× the
 * floor's, port forward ≥ 0.8× direct. The run checks the machinery (exit codes, bytes), not the goals.
 */
public final class StreamingBenchmark {

    static final int WARM_UPS = 10;
    static final int EXECS = 200;
    static final int TRANSFER_RUNS = 5;
    static final int CONCURRENT = 10;
    static final int FILE_MIB = 64;
    static final long FILE_BYTES = FILE_MIB * 1024L * 1024L;
    static final int HTTP_PORT = 8080;
    static final String CGROUP_ROOT = "berth-stream-bench";
    /** Away from berthd's tests' networks and the pod-start bench's 10.198/16, which may run at the same time. */
    static final String BRIDGE = "berthstrbench0";

    static final String SUBNET = "10.197.0.0/16";
    private static final Duration HTTPD_READY = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    /** {@code leftovers}: what the pod's removal left of it (mounts, processes, containers, veths); empty is clean. */
    public record Result(
            ExecRoundTrips.Result exec,
            PortForwardThroughput.Result portForward,
            long fileBytes,
            List<String> leftovers) {}

    public static void main(String[] args) throws Exception {
        run();
    }

    public static Result run() throws Exception {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "berth-stream-bench-");
        CommandRunner commands = new CommandRunner(work.resolve("scratch"));
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
            try (BenchBerthd daemon = BenchBerthd.start(work, network);
                    CriClient cri = CriClient.connect(daemon.socket())) {
                cri.pullImage(image);
                ExecRoundTrips.Result exec;
                PortForwardThroughput.Result portForward;
                String podId = null;
                try {
                    Files.createDirectories(specs.logDirectory(0));
                    PodSandboxConfig sandbox = specs.sandbox(0);
                    podId = cri.runPodSandbox(sandbox);
                    String httpd = startContainer(cri, podId, sandbox, httpd(specs.container(0)));
                    String sleeper = startContainer(cri, podId, sandbox, specs.container(0));
                    String podIp = cri.runtime()
                            .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                    .setPodSandboxId(podId)
                                    .build())
                            .getStatus()
                            .getNetwork()
                            .getIp();
                    awaitListening(podIp, httpd);
                    Files.createDirectories(work.resolve("scratch"));
                    exec = new ExecRoundTrips(cri, sleeper, daemon.runcRoot(), work.resolve("scratch"))
                            .run(WARM_UPS, EXECS);
                    portForward = new PortForwardThroughput(cri, podId, podIp, HTTP_PORT, "/big")
                            .run(TRANSFER_RUNS, CONCURRENT);
                } finally {
                    if (podId != null) {
                        cri.stopAndRemovePodSandbox(podId);
                    }
                }
                result = new Result(exec, portForward, FILE_BYTES, leftovers(daemon, commands));
            }
            new StreamingReport(System.out).print(result);
            return result;
        } finally {
            host.removeCgroupTree(CGROUP_ROOT);
            host.deleteLink(BRIDGE);
            host.unmountBelow(work);
            dev.berth.store.Directories.deleteRecursively(work);
        }
    }

    /** busybox httpd serving a file of random bytes (nothing on the way can compress it), in the foreground. */
    private static ContainerConfig httpd(ContainerConfig template) {
        String script = "mkdir -p /www && dd if=/dev/urandom of=/www/big bs=1M count=" + FILE_MIB
                + " 2>/dev/null && exec httpd -f -p " + HTTP_PORT + " -h /www";
        return template.toBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("httpd"))
                .clearCommand()
                .addCommand("sh")
                .addCommand("-c")
                .addCommand(script)
                .setLogPath("httpd.log")
                .build();
    }

    private static String startContainer(
            CriClient cri, String podId, PodSandboxConfig sandbox, ContainerConfig config) {
        String id = cri.createContainer(podId, config, sandbox);
        cri.startContainer(id);
        return id;
    }

    /** httpd listens once the file is written; until then the pod refuses connections. */
    private static void awaitListening(String podIp, String containerId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + HTTPD_READY.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(podIp, HTTP_PORT), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "httpd (container " + containerId + ") not listening on " + podIp + ":" + HTTP_PORT
                                    + " within " + HTTPD_READY,
                            e);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * What the removed pod left while berthd still runs (its close cleans up by force, which would hide a leak):
     * mounts and processes naming berthd's dirs (berthd itself aside), containers in its runc root, veths on the
     * bench's bridge.
     */
    private static List<String> leftovers(BenchBerthd daemon, CommandRunner commands) throws IOException {
        List<String> left = new ArrayList<>();
        for (Path tree : daemon.trees()) {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                if (line.split(" ")[4].startsWith(tree.toString())) {
                    left.add("mount " + line.split(" ")[4]);
                }
            }
            long self = ProcessHandle.current().pid();
            ProcessHandle.allProcesses()
                    .filter(p -> p.pid() != self && p.pid() != daemon.pid())
                    .filter(p -> HostCleanup.commandLine(p.pid()).contains(tree.toString()))
                    .forEach(p -> left.add("process " + p.pid() + ": " + HostCleanup.commandLine(p.pid())));
        }
        if (Files.isDirectory(daemon.runcRoot())) {
            try (Stream<Path> containers = Files.list(daemon.runcRoot())) {
                containers.forEach(c -> left.add("runc container " + c.getFileName()));
            }
        }
        if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
            String veths = commands.runChecked(CommandRunner.Command.of(
                            COMMAND_TIMEOUT, List.of("ip", "-o", "link", "show", "master", BRIDGE)))
                    .stdout();
            veths.lines().filter(l -> !l.isBlank()).forEach(l -> left.add("veth " + l.strip()));
        }
        return left;
    }
}
