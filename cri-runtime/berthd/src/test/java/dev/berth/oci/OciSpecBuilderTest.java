package dev.berth.oci;

import static dev.berth.oci.SpecRequests.builder;
import static dev.berth.oci.SpecRequests.container;
import static dev.berth.oci.SpecRequests.image;
import static dev.berth.oci.SpecRequests.pod;
import static dev.berth.oci.SpecRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.MountPropagation;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecBuilderTest {

    @TempDir
    Path rootfs;

    @TempDir
    Path host;

    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode build(ContainerSpecRequest request) throws Exception {
        return mapper.readTree(builder().build(request).configJson());
    }

    private JsonNode build(ContainerConfig config) throws Exception {
        return build(request(config, rootfs));
    }

    private static ContainerConfig withSecurity(LinuxContainerSecurityContext sc, String... command) {
        return container(command)
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(sc))
                .build();
    }

    @Test
    void imageEnvIsOverriddenByPodEnvKeepingOrderAndDefaultPathStaysFirst() throws Exception {
        var image = image("", List.of("LANG=C", "MODE=image"), List.of("/entry"), List.of(), "/srv");
        var config = container()
                .addEnvs(KeyValue.newBuilder().setKey("MODE").setValue("pod"))
                .addEnvs(KeyValue.newBuilder().setKey("EXTRA").setValue("1"))
                .build();
        JsonNode process =
                build(request(config, pod(), image, rootfs, Map.of())).get("process");
        assertThat(strings(process.get("env")))
                .containsExactly(Environment.DEFAULT_PATH, "LANG=C", "MODE=pod", "HOSTNAME=web-0", "EXTRA=1");
        assertThat(process.get("cwd").asText()).isEqualTo("/srv");
        assertThat(strings(process.get("args"))).containsExactly("/entry");
    }

    @Test
    void imagePathReplacesTheDefaultAndTtyAddsTerm() throws Exception {
        var image = image("", List.of("PATH=/opt/bin"), List.of(), List.of("/x"), "");
        var config = container().setTty(true).setWorkingDir("/work").build();
        JsonNode process =
                build(request(config, pod(), image, rootfs, Map.of())).get("process");
        assertThat(strings(process.get("env"))).startsWith("PATH=/opt/bin", "TERM=xterm");
        assertThat(process.get("terminal").asBoolean()).isTrue();
        assertThat(process.get("cwd").asText()).isEqualTo("/work");
    }

    @Test
    void relativeWorkingDirIsRejected() {
        assertThatThrownBy(() -> build(container("/x").setWorkingDir("srv").build()))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("absolute");
    }

    @Test
    void defaultContainerGetsMaskedPathsNoSeccompDefaultCapsAndClampedOomScore() throws Exception {
        JsonNode spec = build(container("/bin/sh")
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(LinuxContainerResources.newBuilder().setOomScoreAdj(-1000)))
                .build());
        assertThat(strings(spec.at("/linux/maskedPaths"))).containsExactlyElementsOf(SecurityPaths.DEFAULT_MASKED);
        assertThat(strings(spec.at("/linux/readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
        assertThat(spec.at("/linux").has("seccomp"))
                .as("a nil seccomp profile is Unconfined, as CRI says")
                .isFalse();
        assertThat(strings(spec.at("/process/capabilities/effective")))
                .containsExactlyElementsOf(CapabilityResolver.DEFAULT);
        assertThat(spec.at("/process/capabilities").has("inheritable")).isFalse();
        assertThat(spec.at("/process/oomScoreAdj").asInt()).isEqualTo(-999);
        assertThat(spec.at("/root/readonly").asBoolean()).isFalse();
        assertThat(spec.at("/process/noNewPrivileges").asBoolean()).isFalse();
        assertThat(spec.at("/annotations/io.kubernetes.cri.container-type").asText())
                .isEqualTo("container");
        assertThat(spec.at("/annotations/io.kubernetes.cri.sandbox-id").asText())
                .isEqualTo("s1");
        assertThat(spec.at("/annotations/io.kubernetes.cri.image-name").asText())
                .isEqualTo("docker.io/library/busybox:latest");
    }

    @Test
    void nodeConfiguredRuntimeDefaultAppliesWhenTheRequestNamesNoSeccompProfile() throws Exception {
        OciSpecBuilder strictNode = new OciSpecBuilder(
                new SeccompProfiles(mapper, "amd64", false, SeccompWhenUnset.RuntimeDefault),
                new OomScoreAdjPolicy(false, () -> -999),
                SpecRequests.V1_HOST);

        JsonNode spec = mapper.readTree(
                strictNode.build(request(container("/bin/sh").build(), rootfs)).configJson());

        assertThat(spec.at("/linux/seccomp/defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    }

    @Test
    void requestedMaskedAndReadonlyPathsReplaceTheDefaults() throws Exception {
        JsonNode spec = build(withSecurity(
                LinuxContainerSecurityContext.newBuilder()
                        .addMaskedPaths("/proc/kcore")
                        .addReadonlyPaths("/proc/sys")
                        .build(),
                "/x"));
        assertThat(strings(spec.at("/linux/maskedPaths"))).containsExactly("/proc/kcore");
        assertThat(strings(spec.at("/linux/readonlyPaths"))).containsExactly("/proc/sys");
    }

    @Test
    void privilegedHasNoMasksNoSeccompWritableSysAndAllDevices() throws Exception {
        JsonNode spec = build(withSecurity(
                LinuxContainerSecurityContext.newBuilder().setPrivileged(true).build(), "/x"));
        assertThat(spec.at("/linux/maskedPaths")).isEmpty();
        assertThat(spec.at("/linux/readonlyPaths")).isEmpty();
        assertThat(spec.at("/linux").has("seccomp")).isFalse();
        assertThat(strings(mount(spec, "/sys").get("options"))).contains("rw").doesNotContain("ro");
        assertThat(spec.at("/linux/resources/devices/0/allow").asBoolean()).isTrue();
        assertThat(strings(spec.at("/process/capabilities/bounding"))).contains("CAP_SYS_ADMIN");
    }

    @Test
    void readonlyRootfsAndNoNewPrivsReachTheSpecAndPodFilesBecomeReadonly() throws Exception {
        Path hosts = Files.writeString(host.resolve("hosts"), "127.0.0.1 localhost\n");
        var config = withSecurity(
                LinuxContainerSecurityContext.newBuilder()
                        .setReadonlyRootfs(true)
                        .setNoNewPrivs(true)
                        .build(),
                "/x");
        var request = new ContainerSpecRequest(
                "c1", "s1", config, pod(), null, "img", rootfs, Map.of(), null, hosts, null, null, host, null);
        JsonNode spec = build(request);
        assertThat(spec.at("/root/readonly").asBoolean()).isTrue();
        assertThat(spec.at("/process/noNewPrivileges").asBoolean()).isTrue();
        assertThat(strings(mount(spec, "/etc/hosts").get("options"))).containsExactly("rbind", "rprivate", "ro");
        JsonNode shm = mount(spec, "/dev/shm");
        assertThat(shm.get("type").asText()).isEqualTo("bind");
        assertThat(shm.get("source").asText()).isEqualTo(host.toString());
        assertThat(strings(shm.get("options"))).contains("rw");
    }

    @Test
    void mountPropagationMapsToRuncOptionsAndSetsRootfsPropagation() throws Exception {
        Files.createDirectories(host.resolve("a"));
        var config = container("/x")
                .addMounts(bind("/data/private", host, MountPropagation.PROPAGATION_PRIVATE, true))
                .addMounts(bind("/data/slave", host, MountPropagation.PROPAGATION_HOST_TO_CONTAINER, false))
                .build();
        JsonNode spec = build(config);
        assertThat(strings(mount(spec, "/data/private").get("options"))).containsExactly("rbind", "rprivate", "ro");
        assertThat(strings(mount(spec, "/data/slave").get("options"))).containsExactly("rbind", "rslave", "rw");
        assertThat(spec.at("/linux/rootfsPropagation").asText()).isEqualTo("rslave");

        JsonNode shared = build(container("/x")
                .addMounts(bind("/data/shared", host, MountPropagation.PROPAGATION_BIDIRECTIONAL, false))
                .build());
        assertThat(strings(mount(shared, "/data/shared").get("options"))).contains("rshared");
        assertThat(shared.at("/linux/rootfsPropagation").asText()).isEqualTo("rshared");
    }

    @Test
    void requestMountsAreOrderedParentsFirstAndOverrideDefaultsAtTheSameDestination() throws Exception {
        var config = container("/x")
                .addMounts(bind("/data/a/b", host, MountPropagation.PROPAGATION_PRIVATE, false))
                .addMounts(bind("/data", host, MountPropagation.PROPAGATION_PRIVATE, false))
                .addMounts(bind("/dev/shm/", host, MountPropagation.PROPAGATION_PRIVATE, false))
                .build();
        JsonNode spec = build(config);
        List<String> destinations = new ArrayList<>();
        spec.get("mounts").forEach(m -> destinations.add(m.get("destination").asText()));
        assertThat(destinations)
                .containsExactly(
                        "/proc",
                        "/dev",
                        "/dev/pts",
                        "/dev/mqueue",
                        "/sys",
                        "/sys/fs/cgroup",
                        "/data",
                        "/dev/shm",
                        "/data/a/b");
        assertThat(mount(spec, "/dev/shm").get("type").asText()).isEqualTo("bind");
    }

    @Test
    void missingHostPathIsRejected() {
        var config = container("/x")
                .addMounts(bind("/data", host.resolve("missing"), MountPropagation.PROPAGATION_PRIVATE, false))
                .build();
        assertThatThrownBy(() -> build(config))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void namespacesJoinThePodsPathsAndLeaveHostOnesOut() throws Exception {
        var config = withSecurity(
                LinuxContainerSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))
                        .build(),
                "/x");
        Map<String, Path> ns = Map.of("network", Path.of("/run/berth/ns/p/net"), "uts", Path.of("/run/berth/ns/p/uts"));
        JsonNode spec = build(request(config, pod(), null, rootfs, ns));
        assertThat(spec.at("/linux/namespaces").toString())
                .isEqualTo("[{\"type\":\"pid\"},"
                        + "{\"type\":\"network\",\"path\":\"/run/berth/ns/p/net\"},"
                        + "{\"type\":\"uts\",\"path\":\"/run/berth/ns/p/uts\"},{\"type\":\"mount\"}]");
        assertThat(spec.has("hostname")).isFalse();

        var hostPid = withSecurity(
                LinuxContainerSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.NODE))
                        .build(),
                "/x");
        assertThat(build(hostPid).at("/linux/namespaces").toString()).isEqualTo("[{\"type\":\"mount\"}]");

        var podPid = new ContainerSpecRequest(
                "c1",
                "s1",
                container("/x").build(),
                pod(),
                null,
                "img",
                rootfs,
                Map.of(),
                Path.of("/proc/42/ns/pid"),
                null,
                null,
                null,
                null,
                "/kubepods/pod1/c1");
        JsonNode shared = build(podPid);
        assertThat(shared.at("/linux/namespaces/0/path").asText()).isEqualTo("/proc/42/ns/pid");
        assertThat(shared.at("/linux/cgroupsPath").asText()).isEqualTo("/kubepods/pod1/c1");
    }

    @Test
    void namespacedSysctlsPassAndNodeWideOnesAreRejected() throws Exception {
        var withNet = Map.of("network", Path.of("/n"), "ipc", Path.of("/i"));
        JsonNode spec = build(request(
                container("/x").build(),
                podWithSysctls(Map.of("net.ipv4.ip_forward", "1", "kernel.shmmax", "65536")),
                null,
                rootfs,
                withNet));
        assertThat(spec.at("/linux/sysctl/net.ipv4.ip_forward").asText()).isEqualTo("1");
        assertThat(spec.at("/linux/sysctl/kernel.shmmax").asText()).isEqualTo("65536");

        assertThatThrownBy(() -> build(request(
                        container("/x").build(), podWithSysctls(Map.of("kernel.panic", "1")), null, rootfs, withNet)))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("kernel.panic");
        assertThatThrownBy(() -> build(request(
                        container("/x").build(),
                        podWithSysctls(Map.of("net.core.somaxconn", "1")),
                        null,
                        rootfs,
                        Map.of())))
                .isInstanceOf(InvalidContainerConfigException.class)
                .hasMessageContaining("host's network namespace");
    }

    @Test
    void unifiedResourcesOnACgroupV1HostAreRefusedNotDropped() {
        var resources = LinuxContainerResources.newBuilder()
                .putUnified("memory.high", "1")
                .build();

        assertThatThrownBy(() -> build(container("/x")
                        .setLinux(LinuxContainerConfig.newBuilder().setResources(resources))
                        .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.linux.resources.unified")
                .hasMessageContaining("cgroup v1");
    }

    @Test
    void resourcesFollowContainerdAndRuncUpdateGetsLimitsOnly() throws Exception {
        var resources = LinuxContainerResources.newBuilder()
                .setCpuShares(512)
                .setCpuQuota(50000)
                .setCpuPeriod(100000)
                .setCpusetCpus("0")
                .setMemoryLimitInBytes(64 << 20)
                .build();
        JsonNode spec = build(container("/x")
                .setLinux(LinuxContainerConfig.newBuilder().setResources(resources))
                .build());
        assertThat(spec.at("/linux/resources/cpu").toString())
                .isEqualTo("{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0\"}");
        assertThat(spec.at("/linux/resources/memory").toString()).isEqualTo("{\"limit\":67108864,\"swap\":67108864}");
        assertThat(spec.at("/linux/resources/devices").toString()).isEqualTo("[{\"allow\":false,\"access\":\"rwm\"}]");

        JsonNode update = mapper.readTree(builder()
                .resourcesJson(resources.toBuilder()
                        .setMemorySwapLimitInBytes(128 << 20)
                        .build()));
        assertThat(update.has("devices")).isFalse();
        assertThat(update.at("/memory/swap").asLong()).isEqualTo(128 << 20);
    }

    private static dev.berth.cri.v1.PodSandboxConfig podWithSysctls(Map<String, String> sysctls) {
        return pod().toBuilder()
                .setLinux(LinuxPodSandboxConfig.newBuilder().putAllSysctls(sysctls))
                .build();
    }

    private static Mount bind(String containerPath, Path hostPath, MountPropagation propagation, boolean readonly) {
        return Mount.newBuilder()
                .setContainerPath(containerPath)
                .setHostPath(hostPath.toString())
                .setPropagation(propagation)
                .setReadonly(readonly)
                .build();
    }

    private static JsonNode mount(JsonNode spec, String destination) {
        for (JsonNode m : spec.get("mounts")) {
            if (m.get("destination").asText().equals(destination)) {
                return m;
            }
        }
        throw new AssertionError("no mount at " + destination + " in " + spec.get("mounts"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
