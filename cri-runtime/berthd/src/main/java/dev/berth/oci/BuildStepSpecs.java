package dev.berth.oci;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The spec request of a build step's container, for the same spec builder as every container: what a RUN needs put
 * into the CRI shape the builder reads (default security context, a pid namespace of its own), so the build feature
 * itself never sees a CRI message.
 */
public final class BuildStepSpecs {

    private BuildStepSpecs() {}

    /**
     * One RUN's container. {@code user} is an image USER ("name", "uid:gid"); {@code namespaces} the sandbox's nsfs
     * paths by spec name; {@code resolvConf} may be null.
     */
    public record Step(
            String containerId,
            String sandboxId,
            Path rootfs,
            List<String> argv,
            List<String> env,
            String user,
            String workingDir,
            Map<String, Path> namespaces,
            Path resolvConf,
            String cgroupsPath) {}

    public static ContainerSpecRequest request(Step step) {
        LinuxContainerSecurityContext security = LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))
                .build();
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(step.containerId()))
                .addAllCommand(step.argv())
                .setWorkingDir(step.workingDir())
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(security));
        for (String entry : step.env()) {
            int eq = entry.indexOf('=');
            config.addEnvs(KeyValue.newBuilder()
                    .setKey(eq < 0 ? entry : entry.substring(0, eq))
                    .setValue(eq < 0 ? "" : entry.substring(eq + 1)));
        }
        PodSandboxConfig pod = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(step.sandboxId())
                        .setNamespace("berth-build")
                        .setUid(step.sandboxId()))
                .setHostname("buildkitsandbox")
                .build();
        var image = new dev.berth.image.manifest.ContainerConfig(
                step.user(), List.of(), List.of(), List.of(), step.workingDir(), null, null, null, null);
        return new ContainerSpecRequest(
                step.containerId(),
                step.sandboxId(),
                config.build(),
                pod,
                image,
                null,
                step.rootfs(),
                step.namespaces(),
                null,
                null,
                step.resolvConf(),
                null,
                null,
                step.cgroupsPath());
    }
}
