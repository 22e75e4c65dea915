package dev.berth.e2e.bench;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.PodSandboxConfig;
import java.io.IOException;

/** The requests a {@link CriPodStarter} sends for pod number {@code index}, and kubelet's work before it sends them. */
interface PodRequests {

    /** Tells this run's pods from any other's; every sandbox carries it as the label {@link PodSpecs#RUN_LABEL}. */
    String run();

    /** What kubelet does before RunPodSandbox (directories, files its mounts name); not timed. */
    void prepare(int index) throws IOException;

    PodSandboxConfig sandbox(int index);

    ContainerConfig container(int index);
}
