package dev.berth.oci;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the spec builder needs to know about one container: the CRI request, the image's defaults, and
 * where the pod's shared pieces (namespaces, hosts/resolv.conf/hostname files, shm) live on this host.
 *
 * @param podNamespaces keys {@code "network"}, {@code "ipc"}, {@code "uts"}: nsfs paths to join; a missing key
 *                      means the pod uses the host's namespace of that kind
 * @param podPidNamespace nsfs path of the pod's pid namespace when the pid mode is POD, else null
 * @param cgroupsPath    runc's cgroupsPath, or null to leave it to runc
 */
public record ContainerSpecRequest(
        String containerId,
        String sandboxId,
        dev.berth.cri.v1.ContainerConfig config,
        dev.berth.cri.v1.PodSandboxConfig sandboxConfig,
        dev.berth.image.manifest.ContainerConfig imageConfig,
        String imageName,
        Path rootfs,
        Map<String, Path> podNamespaces,
        Path podPidNamespace,
        Path hostsFile,
        Path resolvConf,
        Path hostnameFile,
        Path shmDir,
        String cgroupsPath) {

    public ContainerSpecRequest {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(rootfs, "rootfs");
        sandboxConfig = sandboxConfig == null ? dev.berth.cri.v1.PodSandboxConfig.getDefaultInstance() : sandboxConfig;
        imageConfig = imageConfig == null
                ? new dev.berth.image.manifest.ContainerConfig(null, null, null, null, null, null, null, null, null)
                : imageConfig;
        podNamespaces = podNamespaces == null ? Map.of() : Map.copyOf(podNamespaces);
    }
}
