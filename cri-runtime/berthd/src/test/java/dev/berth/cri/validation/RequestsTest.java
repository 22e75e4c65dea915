package dev.berth.cri.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cri.v1.AuthConfig;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.PortMapping;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.UpdatePodSandboxResourcesRequest;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestsTest {

    private static final String LONG = "x".repeat(70_000);

    static PodSandboxConfig.Builder pod() {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName("web")
                        .setNamespace("default")
                        .setUid("0b7e-uid"))
                .setHostname("web-0")
                .setLogDirectory("/var/log/pods/default_web_0b7e-uid")
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/kubepods/besteffort/pod0b7e"));
    }

    static ContainerConfig.Builder container() {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app"))
                .setImage(ImageSpec.newBuilder().setImage("busybox:1"))
                .addCommand("sleep")
                .addArgs("1000")
                .addEnvs(KeyValue.newBuilder().setKey("PATH").setValue("/bin"))
                .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath("/srv/data"))
                .setLogPath("app/0.log");
    }

    private static RunPodSandboxRequest runPod(UnaryOperator<PodSandboxConfig.Builder> edit) {
        return RunPodSandboxRequest.newBuilder().setConfig(edit.apply(pod())).build();
    }

    private static CreateContainerRequest create(UnaryOperator<ContainerConfig.Builder> edit) {
        return CreateContainerRequest.newBuilder()
                .setPodSandboxId("abc123")
                .setConfig(edit.apply(container()))
                .setSandboxConfig(pod())
                .build();
    }

    private static LinuxContainerConfig.Builder resources(UnaryOperator<LinuxContainerResources.Builder> edit) {
        return LinuxContainerConfig.newBuilder().setResources(edit.apply(LinuxContainerResources.newBuilder()));
    }

    private static LinuxContainerConfig.Builder security(UnaryOperator<LinuxContainerSecurityContext.Builder> edit) {
        return LinuxContainerConfig.newBuilder()
                .setSecurityContext(edit.apply(LinuxContainerSecurityContext.newBuilder()));
    }

    interface Validation {
        void run() throws InvalidRequestException;
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("config.metadata.name", (Validation) () -> Requests.check(runPod(p -> p.setMetadata(
                        PodSandboxMetadata.newBuilder().setNamespace("d").setUid("u"))))),
                Arguments.of("config.metadata.uid", (Validation) () -> Requests.check(
                        runPod(p -> p.setMetadata(p.getMetadata().toBuilder().setUid(LONG))))),
                Arguments.of("config.hostname", (Validation)
                        () -> Requests.check(runPod(p -> p.setHostname("a".repeat(65))))),
                Arguments.of(
                        "config.hostname", (Validation) () -> Requests.check(runPod(p -> p.setHostname("bad host")))),
                Arguments.of("config.hostname", (Validation)
                        () -> Requests.check(runPod(p -> p.setHostname("-lead.example")))),
                Arguments.of("config.hostname", (Validation) () -> Requests.check(runPod(p -> p.setHostname("a..b")))),
                Arguments.of("config.hostname", (Validation) () -> Requests.check(runPod(p -> p.setHostname("nul\0")))),
                Arguments.of("config.log_directory", (Validation)
                        () -> Requests.check(runPod(p -> p.setLogDirectory("/" + LONG)))),
                Arguments.of("config.linux.cgroup_parent", (Validation) () -> Requests.check(runPod(
                        p -> p.setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/kubepods/../../etc"))))),
                Arguments.of("config.linux.cgroup_parent", (Validation) () -> Requests.check(runPod(
                        p -> p.setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("relative/parent"))))),
                Arguments.of("config.linux.cgroup_parent", (Validation) () -> Requests.check(runPod(
                        p -> p.setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/" + "s".repeat(300)))))),
                Arguments.of("config.linux.sysctls", (Validation) () -> Requests.check(runPod(
                        p -> p.setLinux(LinuxPodSandboxConfig.newBuilder().putSysctls("net/../../kernel/x", "1"))))),
                Arguments.of("config.linux.sysctls", (Validation) () -> Requests.check(runPod(
                        p -> p.setLinux(LinuxPodSandboxConfig.newBuilder().putSysctls("/net.ipv4.ip_forward", "1"))))),
                Arguments.of("config.port_mappings[0].host_port", (Validation)
                        () -> Requests.check(runPod(p -> p.addPortMappings(
                                PortMapping.newBuilder().setContainerPort(80).setHostPort(70_000))))),
                Arguments.of("config.port_mappings[0].container_port", (Validation) () -> Requests.check(
                        runPod(p -> p.addPortMappings(PortMapping.newBuilder().setContainerPort(-1))))),
                Arguments.of("config.port_mappings[0].host_ip", (Validation)
                        () -> Requests.check(runPod(p -> p.addPortMappings(
                                PortMapping.newBuilder().setContainerPort(80).setHostIp("localhost"))))),
                Arguments.of("config.port_mappings[0].host_ip", (Validation)
                        () -> Requests.check(runPod(p -> p.addPortMappings(
                                PortMapping.newBuilder().setContainerPort(80).setHostIp("300.1.1.1"))))),
                Arguments.of("config.dns_config.servers[0]", (Validation) () -> Requests.check(runPod(p ->
                        p.setDnsConfig(dev.berth.cri.v1.DNSConfig.newBuilder().addServers("dns.example"))))),
                Arguments.of("config.labels", (Validation) () -> Requests.check(runPod(p -> p.putLabels("", "v")))),
                Arguments.of("config.annotations", (Validation)
                        () -> Requests.check(runPod(p -> p.putAnnotations("k", LONG + LONG + LONG + LONG)))),
                Arguments.of("config.envs[1].key", (Validation) () -> Requests.check(
                        create(c -> c.addEnvs(KeyValue.newBuilder().setValue("v"))))),
                Arguments.of("config.envs[1].key", (Validation) () -> Requests.check(
                        create(c -> c.addEnvs(KeyValue.newBuilder().setKey("A=B"))))),
                Arguments.of("config.envs[1].value", (Validation) () -> Requests.check(
                        create(c -> c.addEnvs(KeyValue.newBuilder().setKey("A").setValue("a\0b"))))),
                Arguments.of("config.envs[1]", (Validation) () -> Requests.check(
                        create(c -> c.addEnvs(KeyValue.newBuilder().setKey("A").setValue("v".repeat(131_071)))))),
                Arguments.of("config.args[1]", (Validation) () -> Requests.check(create(c -> c.addArgs("a\0b")))),
                Arguments.of("config.command and args", (Validation) () -> Requests.check(create(c -> {
                    for (int i = 0; i < 10_001; i++) {
                        c.addArgs("a");
                    }
                    return c;
                }))),
                Arguments.of("config.command, args and envs", (Validation) () -> Requests.check(create(c -> {
                    for (int i = 0; i < 20; i++) {
                        c.addArgs("a".repeat(120_000));
                    }
                    return c;
                }))),
                Arguments.of("config.mounts[1].container_path", (Validation) () -> Requests.check(create(c ->
                        c.addMounts(Mount.newBuilder().setContainerPath("/").setHostPath("/srv"))))),
                Arguments.of("config.mounts[1].container_path", (Validation)
                        () -> Requests.check(create(c -> c.addMounts(
                                Mount.newBuilder().setContainerPath("relative").setHostPath("/srv"))))),
                Arguments.of("config.mounts[1].host_path", (Validation) () -> Requests.check(create(c ->
                        c.addMounts(Mount.newBuilder().setContainerPath("/x").setHostPath("/srv\0x"))))),
                Arguments.of("config.working_dir", (Validation)
                        () -> Requests.check(create(c -> c.setWorkingDir("relative")))),
                Arguments.of("config.image.image", (Validation) () -> Requests.check(
                        create(c -> c.setImage(ImageSpec.newBuilder().setImage(LONG))))),
                Arguments.of("config.linux.resources.cpu_period", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.setCpuPeriod(-1)))))),
                Arguments.of("config.linux.resources.cpu_quota", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.setCpuQuota(-5)))))),
                Arguments.of("config.linux.resources.cpu_shares", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.setCpuShares(Long.MAX_VALUE)))))),
                Arguments.of("config.linux.resources.memory_limit_in_bytes", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.setMemoryLimitInBytes(4096)))))),
                Arguments.of("config.linux.resources.memory_swap_limit_in_bytes", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(
                                r -> r.setMemoryLimitInBytes(64 << 20).setMemorySwapLimitInBytes(32 << 20)))))),
                Arguments.of("config.linux.resources.oom_score_adj", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.setOomScoreAdj(1001)))))),
                Arguments.of("config.linux.resources.cpuset_cpus", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.setCpusetCpus("0-")))))),
                Arguments.of("config.linux.resources.cpuset_mems", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.setCpusetMems("3-1")))))),
                Arguments.of("config.linux.resources.hugepage_limits[0].page_size", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r ->
                                r.addHugepageLimits(HugepageLimit.newBuilder().setPageSize("../2MB"))))))),
                Arguments.of("config.linux.resources.unified", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(resources(r -> r.putUnified("../../memory.max", "1")))))),
                Arguments.of("config.linux.security_context.masked_paths[0]", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(security(s -> s.addMaskedPaths("/")))))),
                Arguments.of("config.linux.security_context.readonly_paths[0]", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(security(s -> s.addReadonlyPaths("proc/sys")))))),
                Arguments.of("config.linux.security_context.run_as_user", (Validation) () ->
                        Requests.check(create(c -> c.setLinux(security(s -> s.setRunAsUser(
                                dev.berth.cri.v1.Int64Value.newBuilder().setValue(-1))))))),
                Arguments.of("sandbox_config.metadata.name", (Validation)
                        () -> Requests.check(CreateContainerRequest.newBuilder()
                                .setPodSandboxId("abc")
                                .setConfig(container())
                                .build())),
                Arguments.of("pod_sandbox_id", (Validation) () -> Requests.check(CreateContainerRequest.newBuilder()
                        .setPodSandboxId(LONG)
                        .setConfig(container())
                        .setSandboxConfig(pod())
                        .build())),
                Arguments.of("overhead.memory_limit_in_bytes", (Validation)
                        () -> Requests.check(UpdatePodSandboxResourcesRequest.newBuilder()
                                .setPodSandboxId("abc")
                                .setOverhead(
                                        LinuxContainerResources.newBuilder().setMemoryLimitInBytes(-3))
                                .build())),
                Arguments.of("cmd", (Validation) () -> Requests.check(
                        ExecSyncRequest.newBuilder().setContainerId("abc").build())),
                Arguments.of("cmd[0]", (Validation) () -> Requests.check(ExecSyncRequest.newBuilder()
                        .setContainerId("abc")
                        .addCmd("s\0h")
                        .build())),
                Arguments.of("cmd", (Validation) () -> Requests.check(ExecSyncRequest.newBuilder()
                        .setContainerId("abc")
                        .addAllCmd(java.util.Collections.nCopies(10, "a".repeat(120 * 1024)))
                        .build())),
                Arguments.of("linux.cpuset_mems", (Validation) () ->
                        Requests.check(dev.berth.cri.v1.UpdateContainerResourcesRequest.newBuilder()
                                .setContainerId("abc")
                                .setLinux(LinuxContainerResources.newBuilder().setCpusetMems("0,".repeat(2040) + "x"))
                                .build())),
                Arguments.of("filter.id", (Validation) () ->
                        Requests.check(ContainerFilter.newBuilder().setId(LONG).build())),
                Arguments.of("filter.label_selector", (Validation) () -> Requests.check(ContainerFilter.newBuilder()
                        .putLabelSelector("k", "v\0")
                        .build())),
                Arguments.of("auth.password", (Validation) () -> Requests.check(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage("busybox"))
                        .setAuth(AuthConfig.newBuilder().setPassword("secret".repeat(20_000)))
                        .build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aClientMistakeIsRefusedNamingTheFieldWithoutEchoingIt(String field, Validation validation) {
        assertThatThrownBy(validation::run).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).startsWith(field);
            assertThat(e.getMessage()).startsWith(field).hasSizeLessThan(400).doesNotContain("secret");
        });
    }

    @Test
    void whatKubeletAndCrictlSendPasses() {
        assertThatCode(() -> {
                    Requests.check(runPod(p -> p.setHostname("crictl_host")
                            .addPortMappings(PortMapping.newBuilder()
                                    .setContainerPort(80)
                                    .setHostPort(8080)
                                    .setHostIp("::1"))
                            .setDnsConfig(dev.berth.cri.v1.DNSConfig.newBuilder()
                                    .addServers("10.96.0.10")
                                    .addSearches("svc.cluster.local")
                                    .addOptions("ndots:5"))
                            .setLinux(LinuxPodSandboxConfig.newBuilder()
                                    .setCgroupParent("/kubepods/burstable/pod1")
                                    .putSysctls("net.ipv4.ip_unprivileged_port_start", "81")
                                    .putSysctls("net/ipv4/ping_group_range", "0 1")
                                    .putSysctls("net.ipv4.conf.eth0/100.rp_filter", "1"))));
                    Requests.check(create(c -> c.setLinux(resources(r -> r.setCpuPeriod(100_000)
                            .setCpuQuota(-1)
                            .setCpuShares(2)
                            .setMemoryLimitInBytes(64 << 20)
                            .setMemorySwapLimitInBytes(-1)
                            .setOomScoreAdj(-997)
                            .setCpusetCpus("0-3,8")
                            .addHugepageLimits(HugepageLimit.newBuilder()
                                    .setPageSize("2MB")
                                    .setLimit(0))
                            .putUnified("memory.high", "max")))));
                    Requests.check(UpdatePodSandboxResourcesRequest.newBuilder()
                            .setPodSandboxId("abc")
                            .setOverhead(LinuxContainerResources.newBuilder()
                                    .setMemoryLimitInBytes(1 << 20)
                                    .setCpuShares(1))
                            .build());
                })
                .doesNotThrowAnyException();
    }

    /** A 4 KiB cpu list once overflowed the stack of the regex that matched it whole (gRPC's UNKNOWN). */
    /** Found by the fuzz: runc refuses such a uid inside create ("uids and gids must be in range 0-2147483647"). */
    @Test
    void idsAboveRuncsRangeAreRefusedBeforeRuncSeesThem() {
        assertThatCode(() -> SecurityChecks.numericId("run_as_user", 2147483647L))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SecurityChecks.numericId("run_as_user", 2147483648L))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("run_as_user");
    }

    @Test
    void aLongCpuListIsCheckedOnASmallStack() throws Exception {
        String list = "0,".repeat(2047) + "0";
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread small = new Thread(
                null,
                () -> {
                    try {
                        ResourceChecks.cpuList("cpuset_cpus", list);
                        assertThatThrownBy(() -> ResourceChecks.cpuList("cpuset_cpus", list + ",9-x"))
                                .isInstanceOf(InvalidRequestException.class);
                        assertThatThrownBy(() -> ResourceChecks.cpuList("cpuset_cpus", list + ","))
                                .isInstanceOf(InvalidRequestException.class);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "small-stack",
                64 * 1024);
        small.start();
        small.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void timeoutsAreClampedSoNoneOverflows() {
        Duration day = Duration.ofDays(1);
        assertThat(Requests.timeout(Long.MAX_VALUE, Duration.ZERO, day)).isEqualTo(day);
        assertThat(Requests.timeout(Long.MIN_VALUE, Duration.ofMinutes(10), day))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(Requests.timeout(30, Duration.ZERO, day)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Requests.timeout(Long.MAX_VALUE, Duration.ZERO, day).toNanos())
                .isPositive();
    }

    @Test
    void shownStringsAreBoundedAndCounted() {
        assertThat(Shown.of("a".repeat(70_000))).isEqualTo("\"" + "a".repeat(64) + "…(70000 bytes)\"");
        assertThat(Shown.of("nul\0and\nnewline")).isEqualTo("\"nul?and?newline\"");
    }
}
