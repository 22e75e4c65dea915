package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.DNSConfig;
import dev.berth.cri.v1.Device;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.Int64Value;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxFilter;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.PortMapping;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.UpdateContainerResourcesRequest;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client mistakes over the real socket: each is answered with INVALID_ARGUMENT (or the precise code) naming the
 * field, without echoing an over-long value, and leaves no pod, container or cgroup behind (the bed's LeakCheck
 * after every case, and the lists checked at once).
 */
class RequestValidationIntegrationTest {

    private static final String LONG = "L".repeat(5000);

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthvalid");

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final String busybox = bed.busybox();

    /** What a case sends: a pod (through RunPodSandbox) or a container (into a fresh ready pod). */
    interface Call {
        void send(RequestValidationIntegrationTest test);
    }

    private static Arguments pod(String field, UnaryOperator<PodSandboxConfig.Builder> edit) {
        return Arguments.of(field, Status.Code.INVALID_ARGUMENT, (Call) t -> t.daemon
                .runtime()
                .runPodSandbox(RunPodSandboxRequest.newBuilder()
                        .setConfig(edit.apply(t.pods.pod("refused")))
                        .build()));
    }

    private static Arguments container(String field, UnaryOperator<ContainerConfig.Builder> edit) {
        return Arguments.of(field, Status.Code.INVALID_ARGUMENT, (Call) t -> {
            PodSandboxConfig config = t.pods.pod("host").build();
            String podId = t.pods.run(config);
            t.pods.create(
                    podId,
                    config,
                    edit.apply(t.pods.container("refused", t.busybox, "sleep", "1000"))
                            .build());
        });
    }

    private static Arguments call(String field, Call call) {
        return Arguments.of(field, Status.Code.INVALID_ARGUMENT, call);
    }

    private static UnaryOperator<ContainerConfig.Builder> resources(Consumer<LinuxContainerResources.Builder> edit) {
        LinuxContainerResources.Builder resources = LinuxContainerResources.newBuilder();
        edit.accept(resources);
        return c -> c.setLinux(LinuxContainerConfig.newBuilder().setResources(resources));
    }

    private static UnaryOperator<ContainerConfig.Builder> security(
            Consumer<LinuxContainerSecurityContext.Builder> edit) {
        LinuxContainerSecurityContext.Builder security = LinuxContainerSecurityContext.newBuilder();
        edit.accept(security);
        return c -> c.setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(security));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // lengths
                pod(
                        "config.metadata.name",
                        p -> p.setMetadata(p.getMetadata().toBuilder().setName(LONG))),
                pod(
                        "config.metadata.uid",
                        p -> p.setMetadata(p.getMetadata().toBuilder().setUid(""))),
                pod("config.hostname", p -> p.setHostname(LONG)),
                pod("config.hostname", p -> p.setHostname("has space")),
                pod("config.hostname", p -> p.setHostname("dot.")),
                pod("config.log_directory", p -> p.setLogDirectory("/" + LONG)),
                pod(
                        "config.linux.cgroup_parent",
                        p -> p.setLinux(p.getLinux().toBuilder().setCgroupParent("/a/../b"))),
                pod(
                        "config.linux.cgroup_parent",
                        p -> p.setLinux(p.getLinux().toBuilder().setCgroupParent("/" + LONG))),
                // request sizes
                pod("config.labels", p -> {
                    for (int i = 0; i < 1100; i++) {
                        p.putLabels("k" + i, "v");
                    }
                    return p;
                }),
                pod("config.annotations", p -> p.putAnnotations(LONG, "v")),
                pod(
                        "config.dns_config.servers",
                        p -> p.setDnsConfig(DNSConfig.newBuilder()
                                .addAllServers(Stream.generate(() -> "10.0.0.1")
                                        .limit(20)
                                        .toList()))),
                pod(
                        "config.dns_config.servers[0]",
                        p -> p.setDnsConfig(DNSConfig.newBuilder().addServers("resolver"))),
                pod("config.port_mappings", p -> {
                    for (int i = 0; i < 1100; i++) {
                        p.addPortMappings(PortMapping.newBuilder().setContainerPort(80));
                    }
                    return p;
                }),
                pod(
                        "config.linux.sysctls",
                        p -> p.setLinux(p.getLinux().toBuilder().putSysctls("net/../../x", "1"))),
                pod(
                        "config.linux.sysctls",
                        p -> p.setLinux(p.getLinux().toBuilder().putSysctls("net.ipv4..x", "1"))),
                pod(
                        "config.linux.sysctls",
                        p -> p.setLinux(p.getLinux().toBuilder().putSysctls("net.core.somaxconn", "1\0"))),
                pod(
                        "config.port_mappings[0].host_port",
                        p -> p.addPortMappings(
                                PortMapping.newBuilder().setContainerPort(80).setHostPort(65_536))),
                pod(
                        "config.port_mappings[0].container_port",
                        p -> p.addPortMappings(PortMapping.newBuilder().setContainerPort(-80))),
                pod(
                        "config.port_mappings[0].host_ip",
                        p -> p.addPortMappings(
                                PortMapping.newBuilder().setContainerPort(80).setHostIp("not-an-ip"))),
                pod("config.labels", p -> p.putLabels("app", "nul\0")),
                pod(
                        "config.linux.resources.memory_limit_in_bytes",
                        p -> p.setLinux(p.getLinux().toBuilder()
                                .setResources(
                                        LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-2)))),
                // the container's own mistakes
                container(
                        "config.envs[0].key",
                        c -> c.addEnvs(KeyValue.newBuilder().setValue("v"))),
                container(
                        "config.envs[0].key",
                        c -> c.addEnvs(KeyValue.newBuilder().setKey("A=B").setValue("v"))),
                container(
                        "config.envs[0].value",
                        c -> c.addEnvs(KeyValue.newBuilder().setKey("A").setValue("\0"))),
                container(
                        "config.envs",
                        c -> c.addAllEnvs(Stream.generate(() -> KeyValue.newBuilder()
                                        .setKey("K")
                                        .setValue("v")
                                        .build())
                                .limit(10_001)
                                .toList())),
                container("config.command[2]", c -> c.addCommand("a\0b")),
                container(
                        "config.command, args and envs",
                        c -> c.addAllArgs(Stream.generate(() -> "a".repeat(100_000))
                                .limit(25)
                                .toList())),
                container(
                        "config.mounts[0].container_path",
                        c -> c.addMounts(
                                Mount.newBuilder().setContainerPath("/").setHostPath("/tmp"))),
                container(
                        "config.mounts[0].container_path",
                        c -> c.addMounts(
                                Mount.newBuilder().setContainerPath("data").setHostPath("/tmp"))),
                container(
                        "config.mounts",
                        c -> c.addAllMounts(Stream.generate(() -> Mount.newBuilder()
                                        .setContainerPath("/m")
                                        .setHostPath("/tmp")
                                        .build())
                                .limit(1025)
                                .toList())),
                container(
                        "config.devices[0].container_path",
                        c -> c.addDevices(
                                Device.newBuilder().setContainerPath("dev/null").setHostPath("/dev/null"))),
                container("config.working_dir", c -> c.setWorkingDir("relative")),
                container("config.linux.resources.cpu_period", resources(r -> r.setCpuPeriod(-100_000))),
                container("config.linux.resources.cpu_quota", resources(r -> r.setCpuQuota(Long.MIN_VALUE))),
                container("config.linux.resources.cpu_shares", resources(r -> r.setCpuShares(-1))),
                container("config.linux.resources.memory_limit_in_bytes", resources(r -> r.setMemoryLimitInBytes(1))),
                container("config.linux.resources.oom_score_adj", resources(r -> r.setOomScoreAdj(-5000))),
                container("config.linux.resources.cpuset_cpus", resources(r -> r.setCpusetCpus("zero"))),
                container("config.linux.resources.cpuset_mems", resources(r -> r.setCpusetMems("1-0"))),
                container("config.linux.resources.unified", resources(r -> r.putUnified("../memory.max", "1"))),
                container(
                        "config.linux.resources.hugepage_limits[0].page_size",
                        resources(r ->
                                r.addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2MB/../x")))),
                container("config.linux.security_context.masked_paths[0]", security(s -> s.addMaskedPaths("/"))),
                container("config.linux.security_context.readonly_paths[0]", security(s -> s.addReadonlyPaths("proc"))),
                container(
                        "config.linux.security_context.run_as_user",
                        security(s -> s.setRunAsUser(Int64Value.newBuilder().setValue(-1)))),
                container("config.labels", c -> c.putLabels("", "v")),
                // IDs and filters of every kind of call
                call(
                        "pod_sandbox_id",
                        t -> t.daemon
                                .runtime()
                                .stopPodSandbox(StopPodSandboxRequest.newBuilder()
                                        .setPodSandboxId(LONG)
                                        .build())),
                call(
                        "container_id",
                        t -> t.daemon
                                .runtime()
                                .containerStatus(ContainerStatusRequest.newBuilder()
                                        .setContainerId(LONG)
                                        .build())),
                call(
                        "filter.id",
                        t -> t.daemon
                                .runtime()
                                .listContainers(ListContainersRequest.newBuilder()
                                        .setFilter(ContainerFilter.newBuilder().setId(LONG))
                                        .build())),
                call(
                        "filter.label_selector",
                        t -> t.daemon
                                .runtime()
                                .listPodSandbox(ListPodSandboxRequest.newBuilder()
                                        .setFilter(PodSandboxFilter.newBuilder().putLabelSelector("k", "\0"))
                                        .build())),
                call(
                        "image.image",
                        t -> t.daemon
                                .images()
                                .removeImage(RemoveImageRequest.newBuilder()
                                        .setImage(ImageSpec.newBuilder().setImage(LONG))
                                        .build())),
                call(
                        "cmd",
                        t -> t.daemon
                                .runtime()
                                .execSync(ExecSyncRequest.newBuilder()
                                        .setContainerId("abcdef")
                                        .build())),
                call(
                        "cmd[1]",
                        t -> t.daemon
                                .runtime()
                                .exec(ExecRequest.newBuilder()
                                        .setContainerId("abcdef")
                                        .addCmd("sh")
                                        .addCmd("\0")
                                        .setStdout(true)
                                        .build())),
                call(
                        "linux.oom_score_adj",
                        t -> t.daemon
                                .runtime()
                                .updateContainerResources(UpdateContainerResourcesRequest.newBuilder()
                                        .setContainerId("abcdef")
                                        .setLinux(LinuxContainerResources.newBuilder()
                                                .setOomScoreAdj(1001))
                                        .build())),
                call(
                        "sandbox_config.metadata.name",
                        t -> t.daemon
                                .runtime()
                                .createContainer(CreateContainerRequest.newBuilder()
                                        .setPodSandboxId("abcdef")
                                        .setConfig(t.pods.container("c", t.busybox, "true"))
                                        .setSandboxConfig(PodSandboxConfig.newBuilder()
                                                .setMetadata(PodSandboxMetadata.newBuilder()
                                                        .setName("\0")))
                                        .build())));
    }

    @ParameterizedTest(name = "{0} ({index})")
    @MethodSource("mistakes")
    void aClientMistakeIsRefusedNamingTheFieldAndLeavesNothing(String field, Status.Code code, Call call) {
        int podsBefore = podCount();

        assertThatThrownBy(() -> call.send(this)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(code);
            assertThat(e.getStatus().getDescription())
                    .contains(field)
                    .doesNotContain(LONG.substring(0, 100))
                    .hasSizeLessThan(600);
        });

        // a container case made one pod itself; the refused request may add none
        assertThat(podCount()).isLessThanOrEqualTo(podsBefore + 1);
        assertThat(daemon.runtime()
                        .listContainers(ListContainersRequest.getDefaultInstance())
                        .getContainersList())
                .isEmpty();
    }

    private int podCount() {
        return daemon.runtime()
                .listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
                .getItemsCount();
    }

    /**
     * A proto3 string that is not UTF-8 (which a Go client cannot send, a raw one can) fails protobuf's parse
     * before berthd's code runs; it is the client's mistake, not gRPC's INTERNAL.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsWithAStringField")
    void aStringFieldThatIsNotUtf8IsAnInvalidArgument(
            String method, byte[] valid, String type, Status.Code validAnswer) {
        byte[] patched = valid.clone();
        int at = indexOf(patched, "abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        patched[at] = (byte) 0xFF;
        io.grpc.MethodDescriptor<byte[], byte[]> raw = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method)
                .setRequestMarshaller(RawBytes.INSTANCE)
                .setResponseMarshaller(RawBytes.INSTANCE)
                .build();

        assertThatThrownBy(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(
                        daemon.channel(),
                        raw,
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS),
                        patched))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("request is not a valid " + type + ":");
                });
        // the same bytes with the string intact are served: the wrapped marshaller parses as before
        Status.Code answer;
        try {
            io.grpc.stub.ClientCalls.blockingUnaryCall(
                    daemon.channel(),
                    raw,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS),
                    valid);
            answer = Status.Code.OK;
        } catch (StatusRuntimeException e) {
            answer = e.getStatus().getCode();
        }
        assertThat(answer).isEqualTo(validAnswer);
    }

    static Stream<Arguments> requestsWithAStringField() {
        return Stream.of(
                Arguments.of(
                        dev.berth.cri.v1.RuntimeServiceGrpc.getContainerStatusMethod()
                                .getFullMethodName(),
                        ContainerStatusRequest.newBuilder()
                                .setContainerId("abcdef")
                                .build()
                                .toByteArray(),
                        "ContainerStatusRequest",
                        Status.Code.NOT_FOUND),
                Arguments.of(
                        dev.berth.cri.v1.ImageServiceGrpc.getImageStatusMethod().getFullMethodName(),
                        dev.berth.cri.v1.ImageStatusRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage("abcdef"))
                                .build()
                                .toByteArray(),
                        "ImageStatusRequest",
                        Status.Code.OK));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    private enum RawBytes implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void aMissingExecutableIsAFailedPreconditionWithRuncsWords() {
        PodSandboxConfig config = pods.pod("noexec").build();
        String podId = pods.run(config);

        assertThatThrownBy(() -> pods.createAndStart(
                        podId,
                        config,
                        pods.container("noexec", busybox, "nosuch").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription())
                            .contains("exec: \"nosuch\": executable file not found in $PATH");
                });
    }

    @Test
    void stopTimeoutsThatWouldOverflowAreClamped() {
        PodSandboxConfig config = pods.pod("stopper").build();
        String podId = pods.run(config);
        String polite = pods.createAndStart(
                podId,
                config,
                pods.container("polite", busybox, "sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait")
                        .build());
        String blunt = pods.createAndStart(
                podId, config, pods.container("blunt", busybox, "sleep", "1000").build());

        daemon.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(polite)
                        .setTimeout(Long.MAX_VALUE)
                        .build());
        daemon.runtime()
                .stopContainer(StopContainerRequest.newBuilder()
                        .setContainerId(blunt)
                        .setTimeout(Long.MIN_VALUE)
                        .build());

        assertThat(pods.status(polite).getExitCode()).isZero();
        assertThat(pods.status(blunt).getExitCode()).isEqualTo(137);
    }

    @Test
    void anXzCompressedLayerIsAFailedPreconditionNamingTheCompression() {
        byte[] tar = LayerTar.create().file("f", "x", 0644).build();
        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4, (byte) 0xe6, (byte) 0xd6, 0, 0};
        TestImage image = TestImage.builder()
                .layer(new TestLayer(tar, TestLayer.Compression.NONE, xz))
                .build();

        assertThatThrownBy(() -> bed.pushAndPull("test/xz", image))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("XZ");
                });
    }

    @Test
    void requestsAtTheLimitsStillRun() {
        PodSandboxConfig.Builder config =
                pods.pod("roomy").setHostname("a".repeat(63)).putAnnotations("big", "v".repeat(200_000));
        config.setLinux(config.getLinux().toBuilder().putSysctls("net.ipv4.ping_group_range", "0 0"));
        PodSandboxConfig pod = config.build();
        String podId = pods.run(pod);
        String id = pods.createAndStart(
                podId,
                pod,
                pods.container("roomy", busybox, "sleep", "1000")
                        .addEnvs(KeyValue.newBuilder().setKey("BIG").setValue("e".repeat(100_000)))
                        .setLinux(LinuxContainerConfig.newBuilder()
                                .setResources(LinuxContainerResources.newBuilder()
                                        .setCpuPeriod(100_000)
                                        .setCpuQuota(-1)
                                        .setMemoryLimitInBytes(64 << 20)
                                        .setOomScoreAdj(1000)))
                        .build());

        assertThat(pods.execSync(id, "hostname").strip()).isEqualTo("a".repeat(63));
        assertThat(pods.execSync(id, "sh", "-c", "echo ${#BIG}").strip()).isEqualTo("100000");
    }
}
