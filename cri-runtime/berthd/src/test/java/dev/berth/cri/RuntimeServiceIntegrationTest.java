package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerState;
import dev.berth.cri.v1.ContainerStateValue;
import dev.berth.cri.v1.ContainerStatsRequest;
import dev.berth.cri.v1.ContainerStatus;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxFilter;
import dev.berth.cri.v1.PodSandboxState;
import dev.berth.cri.v1.PodSandboxStateValue;
import dev.berth.cri.v1.PodSandboxStatsRequest;
import dev.berth.cri.v1.PodSandboxStatus;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PortMapping;
import dev.berth.cri.v1.Protocol;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.ReopenContainerLogRequest;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.UpdateContainerResourcesRequest;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.HostCgroups;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * berthd's pods and containers through a real gRPC client: real namespaces, cgroups, overlayfs, CNI
 * bridge and portmap, conmon and runc, busybox images from a real local registry. After every test all
 * pods are removed and nothing may be left on the node.
 */
class RuntimeServiceIntegrationTest {

    private static final String CGROUP_MARKER = "berthtest";

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension(CGROUP_MARKER);

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();
    private static String busyboxAsApp;

    @BeforeAll
    static void start() throws Exception {
        busyboxAsApp = bed.pushAndPull(
                "test/busybox-app",
                TestImage.builder()
                        .layer(BusyboxImage.fromHost().layerTar(), TestLayer.Compression.GZIP)
                        .user(BusyboxImage.APP_USER)
                        .build());
    }

    @Test
    void containersOfAPodShareItsNetwork() throws Exception {
        PodSandboxConfig pod = pods.pod("web").build();
        String podId = pods.run(pod);
        pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "server",
                                busybox,
                                "sh",
                                "-c",
                                "mkdir -p /tmp/www && echo hello-from-httpd > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www")
                        .build());
        String client = pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "client",
                                busybox,
                                "sh",
                                "-c",
                                "for i in $(seq 50); do wget -q -O - http://localhost:8080/ && exit 0; sleep 0.1; done; exit 1")
                        .build());

        ContainerStatus status = pods.awaitExit(client, 30);

        assertThat(status.getExitCode()).isZero();
        assertThat(status.getReason()).isEqualTo("Completed");
        assertThat(Files.readString(Path.of(status.getLogPath()))).contains("stdout F hello-from-httpd");
    }

    @Test
    void podStatusReportsItsAddressAndNamespaces() {
        PodSandboxConfig pod = pods.pod("status")
                .putLabels("app", "status")
                .putAnnotations("note", "x")
                .build();
        String podId = pods.run(pod);

        PodSandboxStatus status = daemon.runtime()
                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .setVerbose(true)
                        .build())
                .getStatus();

        assertThat(status.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
        assertThat(status.getNetwork().getIp()).startsWith(daemon.network().prefix());
        assertThat(status.getLabelsMap()).containsEntry("app", "status");
        assertThat(status.getAnnotationsMap()).containsEntry("note", "x");
        assertThat(status.getMetadata().getName()).isEqualTo("status");
        assertThat(status.getCreatedAt()).isPositive();
        assertThat(daemon.runtime()
                        .listPodSandbox(ListPodSandboxRequest.newBuilder()
                                .setFilter(PodSandboxFilter.newBuilder().putLabelSelector("app", "status"))
                                .build())
                        .getItemsList())
                .extracting(p -> p.getId())
                .containsExactly(podId);
    }

    @Test
    void hostPortIsReachableFromTheHost() throws Exception {
        int hostPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            hostPort = probe.getLocalPort();
        }
        PodSandboxConfig pod = pods.pod("hostport")
                .addPortMappings(PortMapping.newBuilder()
                        .setProtocol(Protocol.TCP)
                        .setContainerPort(8080)
                        .setHostPort(hostPort))
                .build();
        String podId = pods.run(pod);
        pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "server",
                                busybox,
                                "sh",
                                "-c",
                                "mkdir -p /tmp/www && echo via-hostport > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www")
                        .build());
        String podIp = daemon.runtime()
                .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build())
                .getStatus()
                .getNetwork()
                .getIp();
        String hostAddress = daemon.network().prefix() + "1";

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (body == null && System.nanoTime() < deadline) {
            try {
                body = http.send(
                                HttpRequest.newBuilder(URI.create("http://" + hostAddress + ":" + hostPort + "/"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        assertThat(body)
                .as("GET through host port %d (pod %s)", hostPort, podIp)
                .contains("via-hostport");
    }

    @Test
    void memoryLimitEndsInOomKilled() throws Exception {
        PodSandboxConfig pod = pods.pod("oom").build();
        String podId = pods.run(pod);
        String hog = pods.createAndStart(
                podId,
                pod,
                pods.container("hog", busybox, "sh", "-c", "dd if=/dev/zero of=/dev/null bs=200M count=1")
                        .setLinux(LinuxContainerConfig.newBuilder()
                                .setResources(
                                        LinuxContainerResources.newBuilder().setMemoryLimitInBytes(32L * 1024 * 1024)))
                        .build());

        ContainerStatus status = pods.awaitExit(hog, 30);

        assertThat(status.getReason()).isEqualTo("OOMKilled");
        assertThat(status.getExitCode()).isEqualTo(137);
    }

    @Test
    void exitCodesAndLogsAreReportedInCriFormat() throws Exception {
        PodSandboxConfig pod = pods.pod("exit").build();
        String podId = pods.run(pod);
        String failing = pods.createAndStart(
                podId,
                pod,
                pods.container("failing", busybox, "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3")
                        .build());

        ContainerStatus status = pods.awaitExit(failing, 30);

        assertThat(status.getExitCode()).isEqualTo(3);
        assertThat(status.getReason()).isEqualTo("Error");
        assertThat(status.getStartedAt()).isPositive();
        assertThat(status.getFinishedAt()).isGreaterThanOrEqualTo(status.getStartedAt());
        assertThat(status.getLogPath()).isEqualTo(pod.getLogDirectory() + "/failing.log");
        List<String> lines = Files.readAllLines(Path.of(status.getLogPath()));
        assertThat(lines).anyMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ stdout F to-stdout$"));
        assertThat(lines).anyMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ stderr F to-stderr$"));
        assertThat(daemon.runtime()
                        .listContainers(ListContainersRequest.newBuilder()
                                .setFilter(ContainerFilter.newBuilder()
                                        .setState(ContainerStateValue.newBuilder()
                                                .setState(ContainerState.CONTAINER_EXITED)))
                                .build())
                        .getContainersList())
                .extracting(c -> c.getId())
                .containsExactly(failing);
    }

    /** The list calls answer from bytes kept per record; a change no call asked about must still show. */
    @Test
    void listsFollowAContainerThatExitsOnItsOwnAndAStoppedPod() throws Exception {
        PodSandboxConfig pod = pods.pod("listed").build();
        String podId = pods.run(pod);
        String containerId = pods.createAndStart(
                podId, pod, pods.container("brief", busybox, "sleep", "1").build());
        assertThat(listedState(containerId)).isIn(ContainerState.CONTAINER_RUNNING, ContainerState.CONTAINER_EXITED);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (listedState(containerId) != ContainerState.CONTAINER_EXITED && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(listedState(containerId)).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(daemon.runtime()
                        .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                        .getItemsList())
                .filteredOn(p -> p.getId().equals(podId))
                .extracting(p -> p.getState())
                .containsExactly(PodSandboxState.SANDBOX_READY);
        daemon.runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        assertThat(daemon.runtime()
                        .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                        .getItemsList())
                .filteredOn(p -> p.getId().equals(podId))
                .extracting(p -> p.getState())
                .containsExactly(PodSandboxState.SANDBOX_NOTREADY);
    }

    private ContainerState listedState(String containerId) {
        return daemon.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList().stream()
                .filter(c -> c.getId().equals(containerId))
                .findFirst()
                .orElseThrow()
                .getState();
    }

    @Test
    void readOnlyRootfsRefusesWrites() throws Exception {
        PodSandboxConfig pod = pods.pod("readonly").build();
        String podId = pods.run(pod);
        String writer = pods.createAndStart(
                podId,
                pod,
                pods.container("writer", busybox, "sh", "-c", "touch /newfile")
                        .setLinux(LinuxContainerConfig.newBuilder()
                                .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                                        .setReadonlyRootfs(true)))
                        .build());

        ContainerStatus status = pods.awaitExit(writer, 30);

        assertThat(status.getExitCode()).isNotZero();
        assertThat(Files.readString(Path.of(status.getLogPath()))).contains("Read-only file system");
    }

    @Test
    void imageUserRunsTheContainerAsNonRoot() throws Exception {
        PodSandboxConfig pod = pods.pod("user").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId, pod, pods.container("whoami", busyboxAsApp, "id").build());

        ContainerStatus status = pods.awaitExit(id, 30);

        assertThat(status.getExitCode()).isZero();
        assertThat(Files.readString(Path.of(status.getLogPath()))).contains("uid=1000(app) gid=1000(app)");
    }

    @Test
    void stopOfAContainerThatExitsOnTermReturnsOnceItExitedWithItsCodeAndFinishTime() throws Exception {
        PodSandboxConfig pod = pods.pod("stop-term").build();
        String podId = pods.run(pod);
        String polite = pods.createAndStart(
                podId,
                pod,
                pods.container("polite", busybox, "sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait")
                        .build());
        Thread.sleep(300);

        long started = System.nanoTime();
        daemon.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(polite)
                        .setTimeout(30)
                        .build());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        ContainerStatus status = pods.status(polite);
        assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(status.getExitCode()).as("TERM reached the shell's trap").isZero();
        assertThat(status.getFinishedAt()).isGreaterThanOrEqualTo(status.getStartedAt());
        assertThat(tookMillis).isLessThan(5000L);
        daemon.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
    }

    @Test
    void stopSignalsThenKillsAndStoppingTwiceSucceeds() throws Exception {
        PodSandboxConfig pod = pods.pod("stop").build();
        String podId = pods.run(pod);
        String stubborn = pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "stubborn",
                                busybox,
                                "sh",
                                "-c",
                                "trap 'echo got-term' TERM; while true; do sleep 0.1; done")
                        .build());
        Thread.sleep(300);

        long started = System.nanoTime();
        daemon.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(stubborn)
                        .setTimeout(1)
                        .build());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        daemon.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(stubborn)
                        .setTimeout(1)
                        .build());

        ContainerStatus status = pods.status(stubborn);
        assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(status.getExitCode()).isEqualTo(137);
        assertThat(tookMillis).isBetween(900L, 8000L);
        assertThat(Files.readString(Path.of(status.getLogPath()))).contains("got-term");

        daemon.runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        daemon.runtime()
                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        assertThat(daemon.runtime()
                        .listPodSandbox(ListPodSandboxRequest.newBuilder()
                                .setFilter(PodSandboxFilter.newBuilder()
                                        .setState(PodSandboxStateValue.newBuilder()
                                                .setState(PodSandboxState.SANDBOX_NOTREADY)))
                                .build())
                        .getItemsList())
                .extracting(p -> p.getId())
                .containsExactly(podId);
        daemon.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        daemon.runtime()
                .removePodSandbox(RemovePodSandboxRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build());
        daemon.runtime()
                .removeContainer(RemoveContainerRequest.newBuilder()
                        .setContainerId(stubborn)
                        .build());
    }

    @Test
    void execSyncStatsAndResourceUpdatesWorkOnARunningContainer() throws Exception {
        PodSandboxConfig pod = pods.pod("exec").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId, pod, pods.container("sleeper", busybox, "sleep", "1000").build());

        var exec = daemon.runtime()
                .execSync(ExecSyncRequest.newBuilder()
                        .setContainerId(id)
                        .addAllCmd(List.of("sh", "-c", "hostname; exit 4"))
                        .setTimeout(10)
                        .build());
        assertThat(exec.getExitCode()).isEqualTo(4);
        assertThat(exec.getStdout().toStringUtf8().strip()).isEqualTo("exec");

        daemon.runtime()
                .updateContainerResources(UpdateContainerResourcesRequest.newBuilder()
                        .setContainerId(id)
                        .setLinux(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(64L * 1024 * 1024))
                        .build());
        assertThat(pods.status(id).getResources().getLinux().getMemoryLimitInBytes())
                .isEqualTo(64L * 1024 * 1024);

        var stats = daemon.runtime()
                .containerStats(
                        ContainerStatsRequest.newBuilder().setContainerId(id).build())
                .getStats();
        assertThat(stats.getAttributes().getId()).isEqualTo(id);
        assertThat(stats.getMemory().getWorkingSetBytes().getValue()).isPositive();
        assertThat(stats.getCpu().getUsageCoreNanoSeconds().getValue()).isPositive();
        var podStats = daemon.runtime()
                .podSandboxStats(PodSandboxStatsRequest.newBuilder()
                        .setPodSandboxId(podId)
                        .build())
                .getStats();
        assertThat(podStats.getLinux().getContainersList()).hasSize(1);
        assertThat(podStats.getLinux().getNetwork().getDefaultInterface().getName())
                .isEqualTo("eth0");
        assertThat(daemon.runtime()
                        .listContainerStats(dev.berth.cri.v1.ListContainerStatsRequest.newBuilder()
                                .setFilter(dev.berth.cri.v1.ContainerStatsFilter.newBuilder()
                                        .setPodSandboxId(podId))
                                .build())
                        .getStatsList())
                .extracting(s -> s.getAttributes().getId())
                .containsExactly(id);
        assertThat(daemon.runtime()
                        .listPodSandboxStats(dev.berth.cri.v1.ListPodSandboxStatsRequest.newBuilder()
                                .setFilter(dev.berth.cri.v1.PodSandboxStatsFilter.newBuilder()
                                        .setId(podId))
                                .build())
                        .getStatsList())
                .extracting(s -> s.getAttributes().getId())
                .containsExactly(podId);
    }

    @Test
    void badRequestsGetClearStatusCodes() {
        PodSandboxConfig pod = pods.pod("bad").build();
        String podId = pods.run(pod);

        assertThatThrownBy(() -> pods.create(
                        podId,
                        pod,
                        pods.container("x", "127.0.0.1:1/missing:1", "true").build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> pods.create(
                        "nosuchpod", pod, pods.container("x", busybox, "true").build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> pods.run(pod))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
        assertThatThrownBy(() -> pods.status("nosuchcontainer"))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        String once =
                pods.create(podId, pod, pods.container("once", busybox, "true").build());
        assertThatThrownBy(() -> pods.create(
                        podId, pod, pods.container("once", busybox, "true").build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
        assertThat(pods.status(once).getState()).isEqualTo(ContainerState.CONTAINER_CREATED);
    }

    @Test
    void podWidePidNamespaceIsSharedByItsContainers() throws Exception {
        PodSandboxConfig.Builder builder = pods.pod("sharedpid");
        builder.getLinuxBuilder()
                .getSecurityContextBuilder()
                .getNamespaceOptionsBuilder()
                .setPid(NamespaceMode.POD);
        PodSandboxConfig pod = builder.build();
        String podId = pods.run(pod);
        LinuxContainerConfig podPid = LinuxContainerConfig.newBuilder()
                .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.POD)))
                .build();
        pods.createAndStart(
                podId,
                pod,
                pods.container("sleeper", busybox, "sleep", "1234")
                        .setLinux(podPid)
                        .build());
        String looker = pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "looker",
                                busybox,
                                "sh",
                                "-c",
                                "sleep 0.3; cat /proc/1/cmdline | tr '\\0' ' '; echo; ps -o pid,args")
                        .setLinux(podPid)
                        .build());

        ContainerStatus status = pods.awaitExit(looker, 30);

        String log = Files.readString(Path.of(status.getLogPath()));
        assertThat(log).contains("catatonit").contains("sleep 1234");
    }

    @Test
    void hostNetworkPodUsesTheNodesNetworkAndName() throws Exception {
        PodSandboxConfig.Builder builder = pods.pod("hostnet").setHostname("");
        builder.getLinuxBuilder()
                .getSecurityContextBuilder()
                .getNamespaceOptionsBuilder()
                .setNetwork(NamespaceMode.NODE);
        PodSandboxConfig pod = builder.build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId,
                pod,
                pods.container("look", busybox, "sh", "-c", "hostname; cat /proc/net/dev")
                        .build());

        ContainerStatus status = pods.awaitExit(id, 30);

        String log = Files.readString(Path.of(status.getLogPath()));
        assertThat(log)
                .contains(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        String hostInterface = Files.readAllLines(Path.of("/proc/net/dev")).stream()
                .skip(2)
                .map(line -> line.substring(0, line.indexOf(':')).strip())
                .filter(name -> !name.equals("lo"))
                .findFirst()
                .orElseThrow();
        assertThat(log).contains(hostInterface + ":");
        assertThat(daemon.runtime()
                        .podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId(podId)
                                .build())
                        .getStatus()
                        .getNetwork()
                        .getIp())
                .isEmpty();
    }

    @Test
    void namespacedSysctlsApplyInsideThePodOnly() throws Exception {
        PodSandboxConfig.Builder builder = pods.pod("sysctl");
        builder.getLinuxBuilder().putSysctls("net.ipv4.ip_unprivileged_port_start", "81");
        PodSandboxConfig pod = builder.build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId,
                pod,
                pods.container("read", busybox, "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start")
                        .build());

        ContainerStatus status = pods.awaitExit(id, 30);

        assertThat(Files.readString(Path.of(status.getLogPath()))).contains("stdout F 81");
        assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))
                        .strip())
                .isNotEqualTo("81");
    }

    @Test
    void reopenContainerLogStartsANewFileAfterKubeletRotatedIt() throws Exception {
        PodSandboxConfig pod = pods.pod("rotate").build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId,
                pod,
                pods.container(
                                "talker",
                                busybox,
                                "sh",
                                "-c",
                                "echo before; while [ ! -e /proc/1/root/tmp/go ]; do sleep 0.05; done; echo after; sleep 1000")
                        .build());
        Path log = Path.of(pods.status(id).getLogPath());
        awaitContent(log, "before");

        Files.move(log, log.resolveSibling("talker.log.1"));
        daemon.runtime()
                .reopenContainerLog(ReopenContainerLogRequest.newBuilder()
                        .setContainerId(id)
                        .build());
        daemon.runtime()
                .execSync(ExecSyncRequest.newBuilder()
                        .setContainerId(id)
                        .addAllCmd(List.of("touch", "/tmp/go"))
                        .setTimeout(10)
                        .build());

        awaitContent(log, "stdout F after");
        assertThat(Files.readString(log)).doesNotContain("before");
        assertThat(Files.readString(log.resolveSibling("talker.log.1")))
                .contains("before")
                .doesNotContain("after");
    }

    private static void awaitContent(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!Files.exists(file) || !Files.readString(file).contains(text)) {
            assertThat(System.nanoTime()).as("%s never showed %s", file, text).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void podLevelResourcesLimitThePodCgroup() throws Exception {
        PodSandboxConfig.Builder builder = pods.pod("podlimit");
        builder.getLinuxBuilder()
                .setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(96L << 20));
        PodSandboxConfig pod = builder.build();
        String podId = pods.run(pod);

        // the pod's own cgroup, below kubelet's parent, which stays kubelet's to size
        Path limit = HostCgroups.detect().memoryLimit(pod.getLinux().getCgroupParent() + "/" + podId);
        assertThat(Files.readString(limit).strip()).isEqualTo(Long.toString(96L << 20));
    }
}
