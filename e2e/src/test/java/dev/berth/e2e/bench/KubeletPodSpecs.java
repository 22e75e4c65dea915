package dev.berth.e2e.bench;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.DNSConfig;
import dev.berth.cri.v1.HugepageLimit;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.Int64Value;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.MountPropagation;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.SecurityProfile;
import dev.berth.testing.HostCgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods as kubelet 1.32 sends them for a BestEffort Deployment pod on a cgroupfs node without host ports, read from
 * kuberuntime_sandbox.go / kuberuntime_container.go (generatePodSandboxConfig, generateContainerConfig,
 * makeMounts, determineEffectiveSecurityContext): kubelet's labels and annotations on both, cluster DNS,
 * the pod cgroup {@code <cgroupRoot>/besteffort/pod<uid>} made before RunPodSandbox, PID namespace per container,
 * seccomp RuntimeDefault on sandbox and container (what kubelet sends for a pod that asks for it, as the restricted
 * Pod Security Standard requires, or for every pod with --seccomp-default), the default masked and read-only paths,
 * run as the image's user (root), BestEffort resources (2 CPU shares, OOM score 1000, a zero limit per hugepage
 * size), the service environment of the {@code kubernetes} Service, and the three mounts every such pod gets: the
 * service-account token volume, {@code /etc/hosts} and the termination-message file; the image by the ID the
 * runtime's PullImage answered, the log path {@code <container>/<restart>.log}.
 *
 * <p>Not sent: ImageStatus calls kubelet makes between RunPodSandbox and CreateContainer, and the tmpfs kubelet
 * mounts for the token volume (a plain directory here).
 *
 * @param lane        tells the runtimes' pods apart in uids, so they never share a pod cgroup or log directory
 * @param kubeletRoot stands for /var/lib/kubelet and /var/log/pods: {@code pods/} and {@code logs/} below it
 * @param imageRef    the image ID the runtime's PullImage returned
 * @param image       the image as the pod spec names it
 */
record KubeletPodSpecs(String run, String lane, Path kubeletRoot, String imageRef, String image, String cgroupRoot)
        implements PodRequests {

    static final String CONTAINER = "app";
    static final SecurityProfile RUNTIME_DEFAULT = SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.RuntimeDefault)
            .build();
    static final List<String> MASKED_PATHS = List.of(
            "/proc/asound",
            "/proc/acpi",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/proc/scsi",
            "/sys/firmware",
            "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS =
            List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    private static final Map<String, String> SERVICE_ENV = serviceEnv();

    String namespace() {
        return "bench-" + run;
    }

    String name(int index) {
        return "web-7d4b9c8f6-k" + index;
    }

    String uid(int index) {
        return run + "-" + lane + "-uid-" + index;
    }

    Path logDirectory(int index) {
        return kubeletRoot.resolve("logs").resolve(namespace() + "_" + name(index) + "_" + uid(index));
    }

    Path podDirectory(int index) {
        return kubeletRoot.resolve("pods").resolve(uid(index));
    }

    String cgroupParent(int index) {
        return "/" + cgroupRoot + "/besteffort/pod" + uid(index);
    }

    /** kubelet's pod worker: the pod cgroup in every hierarchy, the volumes, the etc-hosts file, the log dirs. */
    @Override
    public void prepare(int index) throws IOException {
        for (Path cgroup : HostCgroups.detect().everywhere(cgroupParent(index))) {
            Files.createDirectories(cgroup);
        }
        Path pod = podDirectory(index);
        Path token = Files.createDirectories(tokenVolume(index));
        Files.writeString(token.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nbench\n-----END CERTIFICATE-----\n");
        Files.writeString(token.resolve("namespace"), namespace());
        Files.writeString(token.resolve("token"), "bench-token-" + index);
        Files.writeString(
                pod.resolve("etc-hosts"),
                "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        Files.createDirectories(terminationLog(index).getParent());
        Files.writeString(terminationLog(index), "");
        Files.createDirectories(logDirectory(index).resolve(CONTAINER));
    }

    private Path tokenVolume(int index) {
        return podDirectory(index).resolve("volumes/kubernetes.io~projected/kube-api-access-b7x2q");
    }

    private Path terminationLog(int index) {
        return podDirectory(index).resolve("containers").resolve(CONTAINER).resolve("3f9c2a1e");
    }

    @Override
    public PodSandboxConfig sandbox(int index) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name(index))
                        .setUid(uid(index))
                        .setNamespace(namespace())
                        .setAttempt(0))
                .setHostname(name(index))
                .setLogDirectory(logDirectory(index).toString())
                .setDnsConfig(DNSConfig.newBuilder()
                        .addServers("10.96.0.10")
                        .addSearches(namespace() + ".svc.cluster.local")
                        .addSearches("svc.cluster.local")
                        .addSearches("cluster.local")
                        .addOptions("ndots:5"))
                .putAllLabels(podLabels(index))
                .putLabels("app", "web")
                .putLabels("pod-template-hash", "7d4b9c8f6")
                .putLabels(PodSpecs.RUN_LABEL, run)
                .putAnnotations("kubernetes.io/config.seen", "2026-01-01T00:00:00.000000000Z")
                .putAnnotations("kubernetes.io/config.source", "api")
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent(cgroupParent(index))
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(PodSpecs.KUBELET_NAMESPACES)
                                .setSeccomp(RUNTIME_DEFAULT))
                        .setResources(bestEffort())
                        .setOverhead(LinuxContainerResources.getDefaultInstance()))
                .build();
    }

    @Override
    public ContainerConfig container(int index) {
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(CONTAINER).setAttempt(0))
                .setImage(ImageSpec.newBuilder().setImage(imageRef).setUserSpecifiedImage(image))
                .addCommand("sleep")
                .addCommand("3600")
                .putAllLabels(podLabels(index))
                .putLabels("io.kubernetes.container.name", CONTAINER)
                .putAnnotations("io.kubernetes.container.hash", "5b1e8a2c")
                .putAnnotations("io.kubernetes.container.restartCount", "0")
                .putAnnotations("io.kubernetes.container.terminationMessagePath", "/dev/termination-log")
                .putAnnotations("io.kubernetes.container.terminationMessagePolicy", "File")
                .putAnnotations("io.kubernetes.pod.terminationGracePeriod", "30")
                .addMounts(mount("/var/run/secrets/kubernetes.io/serviceaccount", tokenVolume(index), true))
                .addMounts(mount("/etc/hosts", podDirectory(index).resolve("etc-hosts"), false))
                .addMounts(mount("/dev/termination-log", terminationLog(index), false))
                .setLogPath(CONTAINER + "/0.log")
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(
                                bestEffort().toBuilder().setOomScoreAdj(1000).addAllHugepageLimits(hugepageLimits()))
                        .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                                .setNamespaceOptions(PodSpecs.KUBELET_NAMESPACES)
                                .setRunAsUser(Int64Value.newBuilder().setValue(0))
                                .setSeccomp(RUNTIME_DEFAULT)
                                .addAllMaskedPaths(MASKED_PATHS)
                                .addAllReadonlyPaths(READONLY_PATHS)));
        SERVICE_ENV.forEach((key, value) ->
                config.addEnvs(KeyValue.newBuilder().setKey(key).setValue(value).build()));
        return config.build();
    }

    private Map<String, String> podLabels(int index) {
        return Map.of(
                "io.kubernetes.pod.name", name(index),
                "io.kubernetes.pod.namespace", namespace(),
                "io.kubernetes.pod.uid", uid(index));
    }

    private static Mount mount(String containerPath, Path hostPath, boolean readonly) {
        return Mount.newBuilder()
                .setContainerPath(containerPath)
                .setHostPath(hostPath.toString())
                .setReadonly(readonly)
                .setPropagation(MountPropagation.PROPAGATION_PRIVATE)
                .build();
    }

    /** calculateLinuxResources for no requests and no limits: the minimum shares, CFS period, no quota. */
    private static LinuxContainerResources bestEffort() {
        return LinuxContainerResources.newBuilder()
                .setCpuPeriod(100_000)
                .setCpuShares(2)
                .build();
    }

    /** kubelet names every hugepage size the node has, with limit 0 when the pod asks for none. */
    private static List<HugepageLimit> hugepageLimits() {
        return List.of(
                HugepageLimit.newBuilder().setPageSize("2MB").setLimit(0).build(),
                HugepageLimit.newBuilder().setPageSize("1GB").setLimit(0).build());
    }

    private static Map<String, String> serviceEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        env.put("KUBERNETES_SERVICE_PORT", "443");
        env.put("KUBERNETES_SERVICE_PORT_HTTPS", "443");
        env.put("KUBERNETES_PORT", "tcp://10.96.0.1:443");
        env.put("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443");
        env.put("KUBERNETES_PORT_443_TCP_PROTO", "tcp");
        env.put("KUBERNETES_PORT_443_TCP_PORT", "443");
        env.put("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1");
        return env;
    }
}
