package dev.berth.oci;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small builders for spec requests in tests. */
final class SpecRequests {

    /** A host like this VM: no CAP_SYS_RESOURCE, cgroup v1 with swap accounting and no hugetlb. */
    static final HostFacts V1_HOST =
            new HostFacts(LinuxCapabilities.fromMask(0x000001fffeffffffL), false, true, false, "amd64", false);

    private SpecRequests() {}

    static ContainerConfig.Builder container(String... command) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app"))
                .addAllCommand(List.of(command));
    }

    static PodSandboxConfig pod() {
        return PodSandboxConfig.newBuilder()
                .setHostname("web-0")
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName("web-0")
                        .setNamespace("default")
                        .setUid("u1"))
                .build();
    }

    static dev.berth.image.manifest.ContainerConfig image(
            String user, List<String> env, List<String> entrypoint, List<String> cmd, String workingDir) {
        return new dev.berth.image.manifest.ContainerConfig(
                user, env, entrypoint, cmd, workingDir, null, null, null, null);
    }

    static ContainerSpecRequest request(ContainerConfig config, Path rootfs) {
        return request(config, pod(), image("", List.of(), List.of(), List.of(), ""), rootfs, Map.of());
    }

    static ContainerSpecRequest request(
            ContainerConfig config,
            PodSandboxConfig pod,
            dev.berth.image.manifest.ContainerConfig image,
            Path rootfs,
            Map<String, Path> namespaces) {
        return new ContainerSpecRequest(
                "c1",
                "s1",
                config,
                pod,
                image,
                "docker.io/library/busybox:latest",
                rootfs,
                namespaces,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static OciSpecBuilder builder() {
        return new OciSpecBuilder(
                new SeccompProfiles(
                        new com.fasterxml.jackson.databind.ObjectMapper(), "amd64", false, SeccompWhenUnset.Unconfined),
                new OomScoreAdjPolicy(false, () -> -999),
                V1_HOST);
    }
}
