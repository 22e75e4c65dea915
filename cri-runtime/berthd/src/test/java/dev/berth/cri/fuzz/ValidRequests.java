package dev.berth.cri.fuzz;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.berth.cri.v1.*;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The valid request of every RPC that mutations start from, on the node's real objects (made when asked, so a
 * pod or container a try removed is named again once the node made it anew); and the confinement of host-side
 * fields (log dirs, mount and device sources, cgroup parents, host ports) to the fuzz's own scratch space.
 */
final class ValidRequests {

    private final FuzzNode node;
    private final AtomicLong names = new AtomicLong();
    private final Map<String, Supplier<Message>> requests;

    ValidRequests(FuzzNode node) {
        this.node = node;
        this.requests = Map.ofEntries(
                Map.entry(
                        "Version",
                        () -> VersionRequest.newBuilder().setVersion("0.1.0").build()),
                Map.entry(
                        "Status",
                        () -> StatusRequest.newBuilder().setVerbose(true).build()),
                Map.entry("RuntimeConfig", RuntimeConfigRequest::getDefaultInstance),
                Map.entry(
                        "UpdateRuntimeConfig",
                        () -> UpdateRuntimeConfigRequest.newBuilder()
                                .setRuntimeConfig(RuntimeConfig.newBuilder()
                                        .setNetworkConfig(NetworkConfig.newBuilder()
                                                .setPodCidr(node.network().subnet())))
                                .build()),
                Map.entry(
                        "RunPodSandbox",
                        () -> RunPodSandboxRequest.newBuilder().setConfig(pod()).build()),
                Map.entry(
                        "StopPodSandbox",
                        () -> StopPodSandboxRequest.newBuilder()
                                .setPodSandboxId(node.victimPod())
                                .build()),
                Map.entry(
                        "RemovePodSandbox",
                        () -> RemovePodSandboxRequest.newBuilder()
                                .setPodSandboxId(node.victimPod())
                                .build()),
                Map.entry(
                        "PodSandboxStatus",
                        () -> PodSandboxStatusRequest.newBuilder()
                                .setPodSandboxId(node.targetPod())
                                .setVerbose(true)
                                .build()),
                Map.entry(
                        "ListPodSandbox",
                        () -> ListPodSandboxRequest.newBuilder()
                                .setFilter(podFilter())
                                .build()),
                Map.entry(
                        "StreamPodSandboxes",
                        () -> StreamPodSandboxesRequest.newBuilder()
                                .setFilter(podFilter())
                                .build()),
                Map.entry(
                        "CreateContainer",
                        () -> CreateContainerRequest.newBuilder()
                                .setPodSandboxId(node.targetPod())
                                .setSandboxConfig(node.targetPodConfig())
                                .setConfig(container())
                                .build()),
                Map.entry(
                        "StartContainer",
                        () -> StartContainerRequest.newBuilder()
                                .setContainerId(node.victimContainer())
                                .build()),
                Map.entry(
                        "StopContainer",
                        () -> StopContainerRequest.newBuilder()
                                .setContainerId(node.victimContainer())
                                .setTimeout(2)
                                .build()),
                Map.entry(
                        "RemoveContainer",
                        () -> RemoveContainerRequest.newBuilder()
                                .setContainerId(node.victimContainer())
                                .build()),
                Map.entry(
                        "ListContainers",
                        () -> ListContainersRequest.newBuilder()
                                .setFilter(containerFilter())
                                .build()),
                Map.entry(
                        "StreamContainers",
                        () -> StreamContainersRequest.newBuilder()
                                .setFilter(containerFilter())
                                .build()),
                Map.entry(
                        "ContainerStatus",
                        () -> ContainerStatusRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .setVerbose(true)
                                .build()),
                Map.entry(
                        "UpdateContainerResources",
                        () -> UpdateContainerResourcesRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .setLinux(resources())
                                .build()),
                Map.entry(
                        "ReopenContainerLog",
                        () -> ReopenContainerLogRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .build()),
                Map.entry(
                        "ExecSync",
                        () -> ExecSyncRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .addCmd("true")
                                .setTimeout(5)
                                .build()),
                Map.entry(
                        "Exec",
                        () -> ExecRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .addCmd("sh")
                                .setStdin(true)
                                .setStdout(true)
                                .build()),
                Map.entry(
                        "Attach",
                        () -> AttachRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .setStdout(true)
                                .setStderr(true)
                                .build()),
                Map.entry(
                        "PortForward",
                        () -> PortForwardRequest.newBuilder()
                                .setPodSandboxId(node.targetPod())
                                .addPort(8080)
                                .build()),
                Map.entry(
                        "ContainerStats",
                        () -> ContainerStatsRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .build()),
                Map.entry(
                        "ListContainerStats",
                        () -> ListContainerStatsRequest.newBuilder()
                                .setFilter(ContainerStatsFilter.newBuilder()
                                        .setId(node.targetContainer())
                                        .setPodSandboxId(node.targetPod()))
                                .build()),
                Map.entry(
                        "StreamContainerStats",
                        () -> StreamContainerStatsRequest.newBuilder()
                                .setFilter(ContainerStatsFilter.newBuilder().setPodSandboxId(node.targetPod()))
                                .build()),
                Map.entry(
                        "PodSandboxStats",
                        () -> PodSandboxStatsRequest.newBuilder()
                                .setPodSandboxId(node.targetPod())
                                .build()),
                Map.entry(
                        "ListPodSandboxStats",
                        () -> ListPodSandboxStatsRequest.newBuilder()
                                .setFilter(PodSandboxStatsFilter.newBuilder().setId(node.targetPod()))
                                .build()),
                Map.entry(
                        "StreamPodSandboxStats",
                        () -> StreamPodSandboxStatsRequest.newBuilder()
                                .setFilter(PodSandboxStatsFilter.newBuilder().setId(node.targetPod()))
                                .build()),
                Map.entry(
                        "CheckpointContainer",
                        () -> CheckpointContainerRequest.newBuilder()
                                .setContainerId(node.targetContainer())
                                .setLocation(node.hostScratch()
                                        .resolve("checkpoint.tar")
                                        .toString())
                                .build()),
                Map.entry("GetContainerEvents", GetEventsRequest::getDefaultInstance),
                Map.entry("ListMetricDescriptors", ListMetricDescriptorsRequest::getDefaultInstance),
                Map.entry("ListPodSandboxMetrics", ListPodSandboxMetricsRequest::getDefaultInstance),
                Map.entry("StreamPodSandboxMetrics", StreamPodSandboxMetricsRequest::getDefaultInstance),
                Map.entry(
                        "UpdatePodSandboxResources",
                        () -> UpdatePodSandboxResourcesRequest.newBuilder()
                                .setPodSandboxId(node.targetPod())
                                .setResources(resources())
                                .build()),
                Map.entry(
                        "ListImages",
                        () -> ListImagesRequest.newBuilder()
                                .setFilter(ImageFilter.newBuilder().setImage(busybox()))
                                .build()),
                Map.entry(
                        "StreamImages",
                        () -> StreamImagesRequest.newBuilder()
                                .setFilter(ImageFilter.newBuilder().setImage(busybox()))
                                .build()),
                Map.entry(
                        "ImageStatus",
                        () -> ImageStatusRequest.newBuilder()
                                .setImage(busybox())
                                .setVerbose(true)
                                .build()),
                Map.entry(
                        "PullImage",
                        () -> PullImageRequest.newBuilder()
                                .setImage(busybox())
                                .setSandboxConfig(node.targetPodConfig())
                                .build()),
                Map.entry(
                        "RemoveImage",
                        () -> RemoveImageRequest.newBuilder()
                                .setImage(busybox())
                                .build()),
                Map.entry("ImageFsInfo", ImageFsInfoRequest::getDefaultInstance));
    }

    Message of(String rpc) {
        Supplier<Message> request = requests.get(rpc);
        if (request == null) {
            throw new IllegalArgumentException("no valid request for " + rpc);
        }
        return request.get();
    }

    boolean covers(String rpc) {
        return requests.containsKey(rpc);
    }

    /** A pod of its own name, as kubelet sends it (with the fuzz's cgroup marker and log dir). */
    PodSandboxConfig pod() {
        return node.pods()
                .pod("fuzz-" + names.incrementAndGet())
                .setLogDirectory(
                        node.hostScratch().resolve("logs/pod-" + names.get()).toString())
                .addPortMappings(PortMapping.newBuilder()
                        .setContainerPort(80)
                        .setHostPort(59_000 + (int) (names.get() % 1000))
                        .setProtocol(Protocol.TCP))
                .putLabels("app", "fuzz")
                .putAnnotations("fuzz", "yes")
                .setDnsConfig(DNSConfig.newBuilder().addServers("10.0.0.10").addSearches("cluster.local"))
                .build();
    }

    ContainerConfig container() {
        return node.targetContainerConfig()
                .setMetadata(ContainerMetadata.newBuilder().setName("fuzzed-" + names.incrementAndGet()))
                .addEnvs(KeyValue.newBuilder().setKey("FUZZ").setValue("1"))
                .addMounts(Mount.newBuilder()
                        .setContainerPath("/data")
                        .setHostPath(node.hostScratch().resolve("mounts/data").toString()))
                .putLabels("app", "fuzz")
                .setWorkingDir("/")
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(resources())
                        .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                                .setRunAsUser(Int64Value.newBuilder().setValue(0))
                                .setNamespaceOptions(
                                        NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
                .build();
    }

    private static LinuxContainerResources resources() {
        return LinuxContainerResources.newBuilder()
                .setCpuShares(512)
                .setCpuQuota(50_000)
                .setCpuPeriod(100_000)
                .setMemoryLimitInBytes(256L << 20)
                .setOomScoreAdj(500)
                .build();
    }

    private ImageSpec busybox() {
        return ImageSpec.newBuilder().setImage(node.busybox()).build();
    }

    private PodSandboxFilter podFilter() {
        return PodSandboxFilter.newBuilder()
                .setId(node.targetPod())
                .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY))
                .putLabelSelector("app", "fuzz")
                .build();
    }

    private ContainerFilter containerFilter() {
        return ContainerFilter.newBuilder()
                .setPodSandboxId(node.targetPod())
                .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING))
                .build();
    }

    /** The IDs a mutated ID field gets: the target pod, container and image, and what the run removed. */
    List<String> ids() {
        return java.util.stream.Stream.of(node.targetPod(), node.targetContainer(), node.busyboxId(), node.busybox())
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    /** Host paths stay in the scratch dir, cgroup parents under the fuzz's marker, host ports in 59000–59999. */
    Object confine(FieldDescriptor field, Object value) {
        return switch (field.getFullName()) {
            case "runtime.v1.PodSandboxConfig.log_directory" -> scratch("logs/a/b/c/d", value);
            case "runtime.v1.ContainerConfig.log_path" -> relative(value, 1);
            case "runtime.v1.Mount.host_path", "runtime.v1.Device.host_path" -> scratch("mounts/a/b/c/d", value);
            case "runtime.v1.CheckpointContainerRequest.location" -> scratch("checkpoints/a/b/c/d", value);
            case "runtime.v1.LinuxPodSandboxConfig.cgroup_parent" -> "/" + node.marker() + "-fz/" + relative(value, 0);
            case "runtime.v1.NetworkConfig.pod_cidr" -> ownCidrs((String) value);
            case "runtime.v1.PortMapping.host_port" -> {
                long port = ((Number) value).longValue();
                yield port > 0 && port <= 65_535 ? 59_000 + port % 1000 : port;
            }
            default -> value;
        };
    }

    /**
     * A pod CIDR berthd would accept must never be anyone else's range (a pod route over the node's own network,
     * masquerade for 0.0.0.0/0): every part that looks like a CIDR becomes the node's own subnet, cut smaller.
     */
    private String ownCidrs(String value) {
        String own = node.network().subnet();
        String prefix = own.substring(0, own.indexOf('/'));
        List<String> parts = new java.util.ArrayList<>();
        for (String part : value.split(",", -1)) {
            parts.add(
                    part.matches("\\s*[0-9a-fA-F:.]+/[0-9]+\\s*")
                            ? prefix + "/" + (24 + Math.floorMod(part.hashCode(), 7))
                            : part);
        }
        return String.join(",", parts);
    }

    private Object scratch(String under, Object value) {
        return node.hostScratch().resolve(under) + "/" + relative(value, 4);
    }

    /** {@code value} made relative, with no more than {@code up} ".." segments (the rest become "dd"). */
    private static String relative(Object value, int up) {
        String path = ((String) value).replaceFirst("^/+", "");
        List<String> segments = new java.util.ArrayList<>();
        int ups = 0;
        for (String segment : path.split("/", -1)) {
            segments.add(segment.equals("..") && ++ups > up ? "dd" : segment);
        }
        return String.join("/", segments);
    }
}
