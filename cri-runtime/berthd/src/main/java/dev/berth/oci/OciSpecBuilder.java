package dev.berth.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.SupplementalGroupsPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a CRI CreateContainer request into an OCI runtime spec (runtime-spec 1.0.2, as runc 1.1 reads it) with
 * Kubernetes semantics, following containerd's CRI plugin. Each concern lives in its own class; this one only
 * composes them in the order their inputs depend on (the user needs the rootfs, seccomp needs the final
 * capabilities).
 */
public final class OciSpecBuilder {

    private static final Logger log = LoggerFactory.getLogger(OciSpecBuilder.class);
    static final String OCI_VERSION = "1.0.2-dev";

    private final ObjectMapper mapper = new ObjectMapper();
    private final SeccompProfiles seccomp;
    private final OomScoreAdjPolicy oomPolicy;
    private final HostFacts host;
    private final UserResolver users = new UserResolver();
    private final CapabilityResolver capabilities;
    private final MountsSpec mounts = new MountsSpec();
    private final ProcessSpec process;
    private final ResourcesSpec resources;
    private final NamespacesSpec namespaces;
    private final DevicesSpec devices;

    /** For this host: reads berthd's capabilities and the cgroup layout once. */
    public OciSpecBuilder(SeccompProfiles seccomp, OomScoreAdjPolicy oomPolicy) {
        this(seccomp, oomPolicy, probeHost());
    }

    public OciSpecBuilder(SeccompProfiles seccomp, OomScoreAdjPolicy oomPolicy, HostFacts host) {
        this.seccomp = seccomp;
        this.oomPolicy = oomPolicy;
        this.host = host;
        this.capabilities = new CapabilityResolver(host.capabilities());
        this.process = new ProcessSpec(mapper);
        this.resources = new ResourcesSpec(mapper, host);
        this.namespaces = new NamespacesSpec(mapper, host.cgroupUnified());
        this.devices = new DevicesSpec(mapper, Path.of("/dev"));
    }

    public static OciSpecBuilder forHost(SeccompWhenUnset seccompWhenUnset) throws IOException {
        HostFacts host = HostFacts.probe();
        return new OciSpecBuilder(
                new SeccompProfiles(new ObjectMapper(), host.arch(), host.x32Abi(), seccompWhenUnset),
                OomScoreAdjPolicy.forHost(host),
                host);
    }

    public BuiltSpec build(ContainerSpecRequest request) throws InvalidContainerConfigException, IOException {
        ContainerConfig config = request.config();
        LinuxContainerSecurityContext sc = config.getLinux().getSecurityContext();
        var image = request.imageConfig();

        List<String> args =
                CommandLine.resolve(config.getCommandList(), config.getArgsList(), image.entrypoint(), image.cmd());
        ResolvedUser user = users.resolve(sc, image.user(), new RootfsFiles(request.rootfs()), groupsPolicy(request));
        List<String> caps = capabilities.resolve(sc);
        int oomScoreAdj = oomPolicy.effective(config.getLinux().getResources().getOomScoreAdj());

        ObjectNode spec = mapper.createObjectNode();
        spec.put("ociVersion", OCI_VERSION);
        spec.set("process", process.build(request, args, user, caps, hostname(request), oomScoreAdj));
        spec.putObject("root")
                .put("path", request.rootfs().toAbsolutePath().toString())
                .put("readonly", sc.getReadonlyRootfs());

        MountsSpec.Plan plan = mounts.build(request, sc.getPrivileged(), sc.getReadonlyRootfs());
        ArrayNode mountNodes = spec.putArray("mounts");
        for (OciMount m : plan.mounts()) {
            ObjectNode node = mountNodes
                    .addObject()
                    .put("destination", m.destination())
                    .put("type", m.type())
                    .put("source", m.source());
            m.options().forEach(node.putArray("options")::add);
        }
        spec.set("annotations", annotations(request));
        spec.set("linux", linux(request, sc, caps, plan.rootfsPropagation()));

        log.debug(
                "container {} (pod {}): spec built, uid {} gid {}, args {}",
                request.containerId(),
                request.sandboxId(),
                user.uid(),
                user.gid(),
                args);
        try {
            return new BuiltSpec(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec), user, args);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the runtime spec", e);
        }
    }

    /** The OCI LinuxResources JSON for {@code runc update --resources -}. */
    public byte[] resourcesJson(LinuxContainerResources resources) {
        try {
            return mapper.writeValueAsBytes(this.resources.limits(resources));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise resources", e);
        }
    }

    private ObjectNode linux(
            ContainerSpecRequest request, LinuxContainerSecurityContext sc, List<String> caps, String rootfsPropagation)
            throws InvalidContainerConfigException, IOException {
        ObjectNode linux = mapper.createObjectNode();
        DevicesSpec.Built devices = this.devices.build(request.config(), sc.getPrivileged());
        linux.set("resources", resources.forCreate(request.config().getLinux().getResources(), devices.cgroupRules()));
        if (request.cgroupsPath() != null && !request.cgroupsPath().isEmpty()) {
            linux.put("cgroupsPath", request.cgroupsPath());
        }
        linux.set("namespaces", namespaces.build(request));
        if (!devices.devices().isEmpty()) {
            linux.set("devices", devices.devices());
        }
        Map<String, String> sysctls = SysctlPolicy.validate(
                request.sandboxConfig().getLinux().getSysctlsMap(),
                request.podNamespaces().containsKey("network"),
                request.podNamespaces().containsKey("ipc"));
        if (!sysctls.isEmpty()) {
            ObjectNode sysctl = linux.putObject("sysctl");
            sysctls.forEach(sysctl::put);
        }
        Optional<ObjectNode> filter = seccomp.forContainer(sc, caps);
        filter.ifPresent(f -> linux.set("seccomp", f));
        SecurityPaths.masked(sc).forEach(linux.putArray("maskedPaths")::add);
        SecurityPaths.readonly(sc).forEach(linux.putArray("readonlyPaths")::add);
        if (rootfsPropagation != null) {
            linux.put("rootfsPropagation", rootfsPropagation);
        }
        return linux;
    }

    private ObjectNode annotations(ContainerSpecRequest request) {
        ObjectNode annotations = mapper.createObjectNode();
        var metadata = request.sandboxConfig().getMetadata();
        annotations.put("io.kubernetes.cri.container-type", "container");
        annotations.put(
                "io.kubernetes.cri.container-name",
                request.config().getMetadata().getName());
        if (request.sandboxId() != null) {
            annotations.put("io.kubernetes.cri.sandbox-id", request.sandboxId());
        }
        annotations.put("io.kubernetes.cri.sandbox-name", metadata.getName());
        annotations.put("io.kubernetes.cri.sandbox-namespace", metadata.getNamespace());
        annotations.put("io.kubernetes.cri.sandbox-uid", metadata.getUid());
        if (request.imageName() != null) {
            annotations.put("io.kubernetes.cri.image-name", request.imageName());
        }
        return annotations;
    }

    /**
     * The HOSTNAME variable containerd sets. The spec never sets {@code hostname}: the container joins the pod's UTS
     * namespace (whose hostname the sandbox already set) or the host's, and runc only sets a hostname it owns.
     */
    private static String hostname(ContainerSpecRequest request) throws IOException {
        String hostname = request.sandboxConfig().getHostname();
        if (hostname.isEmpty() && !request.podNamespaces().containsKey("uts")) {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            return Files.exists(kernel) ? Files.readString(kernel).strip() : "";
        }
        return hostname;
    }

    /** kubelet copies the pod's policy into each container; a pod asking for Strict is honoured either way. */
    private static SupplementalGroupsPolicy groupsPolicy(ContainerSpecRequest request) {
        boolean strict = request.config().getLinux().getSecurityContext().getSupplementalGroupsPolicy()
                        == SupplementalGroupsPolicy.Strict
                || request.sandboxConfig().getLinux().getSecurityContext().getSupplementalGroupsPolicy()
                        == SupplementalGroupsPolicy.Strict;
        return strict ? SupplementalGroupsPolicy.Strict : SupplementalGroupsPolicy.Merge;
    }

    private static HostFacts probeHost() {
        try {
            return HostFacts.probe();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this host's capabilities and cgroup layout", e);
        }
    }
}
