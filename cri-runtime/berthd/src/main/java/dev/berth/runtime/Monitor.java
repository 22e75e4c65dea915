package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The process that holds a container's stdio and exit code and outlives berthd: {@link Conmon} in berthd,
 * fakes in tests.
 */
public interface Monitor {

    /**
     * Creates the container under a new monitor; returns once the runtime reports it created. A failure
     * leaves no monitor, no runtime state and no attach socket behind.
     */
    ConmonStarted create(ConmonLaunch launch, ContainerRuntime runtime) throws IOException;

    /** Kills a container's monitor and whatever it still runs, found through {@code persistDir}. */
    void killMonitor(Path persistDir) throws IOException;

    /**
     * Kills what a killed berthd started for a container that its pid files do not lead to: a monitor started
     * before berthd died, or a runtime process whose monitor died first. Only recovery needs it; it reads /proc.
     */
    void killStrays(String containerId) throws IOException;
}
