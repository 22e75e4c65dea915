package dev.berth.e2e.bench;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.cri.v1.SecurityProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pods the benchmark starts, shaped as kubelet sends them: unique name/uid/namespace per pod, a
 * log directory per pod ({@code <namespace>_<name>_<uid>} under {@code logRoot}), a cgroupfs parent
 * per pod under {@code cgroupRoot}, no host ports, the namespace options kubelet sends for a pod without
 * shareProcessNamespace (network and IPC per pod, PID per container: the CRI default, POD, would make a
 * runtime keep a PID-namespace init per pod) and its explicit Unconfined seccomp; one container running {@code sleep 3600} from
 * {@code image}, logging to {@code c.log}.
 *
 * @param run        tells this run's pods from any other's (names, uids, the label)
 * @param cgroupRoot relative to each hierarchy's root, e.g. {@code berth-bench}
 */
record PodSpecs(String run, Path logRoot, String image, String cgroupRoot) implements PodRequests {

    static final String RUN_LABEL = "dev.berth.bench/run";
    /**
     * kubelet without --seccomp-default sends Unconfined explicitly for a pod that names no profile (berthd gives
     * a config without one Unconfined too, unless berth.yaml's security.seccompWhenUnset says RuntimeDefault, which
     * costs runc 1.1.5 ~30 ms a create).
     */
    static final SecurityProfile KUBELET_SECCOMP = SecurityProfile.newBuilder()
            .setProfileType(SecurityProfile.ProfileType.Unconfined)
            .build();
    /** What kubelet's namespacesForPod gives a pod without hostNetwork, hostPID, hostIPC, shareProcessNamespace. */
    static final NamespaceOption KUBELET_NAMESPACES = NamespaceOption.newBuilder()
            .setNetwork(NamespaceMode.POD)
            .setPid(NamespaceMode.CONTAINER)
            .setIpc(NamespaceMode.POD)
            .build();

    String namespace() {
        return "bench-" + run;
    }

    String uid(int index) {
        return run + "-uid-" + index;
    }

    Path logDirectory(int index) {
        return logRoot.resolve(namespace() + "_pod-" + index + "_" + uid(index));
    }

    @Override
    public void prepare(int index) throws IOException {
        Files.createDirectories(logDirectory(index));
    }

    @Override
    public PodSandboxConfig sandbox(int index) {
        String name = "pod-" + index;
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setUid(uid(index))
                        .setNamespace(namespace()))
                .setHostname(name)
                .setLogDirectory(logDirectory(index).toString())
                .putLabels(RUN_LABEL, run)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent("/" + cgroupRoot + "/pod" + uid(index))
                        .setSecurityContext(
                                LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(KUBELET_NAMESPACES)))
                .build();
    }

    @Override
    public ContainerConfig container(int index) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("sleep"))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .addCommand("sleep")
                .addCommand("3600")
                .setLogPath("c.log")
                .putLabels(RUN_LABEL, run)
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                                .setNamespaceOptions(KUBELET_NAMESPACES)
                                .setSeccomp(KUBELET_SECCOMP)))
                .build();
    }
}
