package dev.berth.cli.run;

import dev.berth.cli.container.PortSpec;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.PodSandboxConfig;
import java.util.List;

/** What a run makes: the pod (with its published ports) and the container, with the command it will run. */
public record RunSpec(
        String name, PodSandboxConfig pod, ContainerConfig container, List<PortSpec> ports, List<String> command) {}
