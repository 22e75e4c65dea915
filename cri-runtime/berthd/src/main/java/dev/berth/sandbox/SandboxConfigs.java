package dev.berth.sandbox;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.network.PortMapping;
import java.util.List;
import java.util.Locale;

/** The domain values a sandbox record keeps of kubelet's PodSandboxConfig, read once, when the pod is made. */
public final class SandboxConfigs {

    private SandboxConfigs() {}

    /** Only mappings with a host port reach CNI's portmap, as kubelet intends. */
    static List<PortMapping> portMappings(PodSandboxConfig config) {
        return config.getPortMappingsList().stream()
                .filter(p -> p.getHostPort() > 0)
                .map(p -> new PortMapping(
                        p.getProtocol().name().toLowerCase(Locale.ROOT),
                        p.getContainerPort(),
                        p.getHostPort(),
                        p.getHostIp()))
                .toList();
    }

    static NamespaceModes namespaceModes(PodSandboxConfig config) {
        NamespaceOption options = config.getLinux().getSecurityContext().getNamespaceOptions();
        return new NamespaceModes(
                mode(options.getNetwork()), mode(options.getPid()), mode(options.getIpc()), options.getTargetId());
    }

    private static NamespaceModes.Mode mode(dev.berth.cri.v1.NamespaceMode mode) {
        return switch (mode) {
            case CONTAINER -> NamespaceModes.Mode.CONTAINER;
            case NODE -> NamespaceModes.Mode.NODE;
            case TARGET -> NamespaceModes.Mode.TARGET;
            default -> NamespaceModes.Mode.POD;
        };
    }

    /** The pod's log directory as its RunPodSandbox named it; empty when it named none. */
    public static String logDirectory(SandboxMetadata metadata) {
        return parse(metadata).getLogDirectory();
    }

    /** The config as kubelet sent it (verbose status, restarts); records without one read as empty. */
    public static PodSandboxConfig parse(SandboxMetadata metadata) {
        try {
            return metadata.config() == null
                    ? PodSandboxConfig.getDefaultInstance()
                    : PodSandboxConfig.parseFrom(metadata.config());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("record of pod " + metadata.id() + " holds an unreadable config", e);
        }
    }
}
