package dev.berth.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything conmon needs to create one container.
 *
 * @param logPath    the CRI log file (kubelet's choice); its parent is created when missing
 * @param exitDir    where conmon writes {@code <containerId>} holding the exit code (shared by all containers)
 * @param persistDir the container's own directory: conmon's {@code exit}/{@code oom} markers, pid files and
 *                   the runtime's create log live here
 * @param socketDir  the attach socket ends up at {@code <socketDir>/<containerId>/attach} (a symlink to the
 *                   bundle keeps the socket path short)
 * @param stdinOnce  close the container's stdin when the first attached client detaches
 * @param timeout    how long {@code runtime create} may take before the launch is abandoned and cleaned up
 */
public record ConmonLaunch(
        String containerId,
        String containerName,
        Path bundle,
        Path logPath,
        Path exitDir,
        Path persistDir,
        Path socketDir,
        boolean tty,
        boolean stdin,
        boolean stdinOnce,
        Duration timeout) {

    public ConmonLaunch {
        if (containerId == null || !containerId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException(
                    "container id must be 1-128 characters of [A-Za-z0-9_.-]: " + containerId);
        }
        if (containerName == null || containerName.isBlank()) {
            containerName = containerId;
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("create timeout must be positive: " + timeout);
        }
        for (Path path : new Path[] {bundle, logPath, exitDir, persistDir, socketDir}) {
            if (path == null || !path.isAbsolute()) {
                throw new IllegalArgumentException("conmon needs absolute paths, got " + path + " for " + containerId);
            }
        }
    }

    /** Where conmon serves attach for this container. */
    public Path attachSocket() {
        return socketDir.resolve(containerId).resolve("attach");
    }

    Path conmonPidFile() {
        return persistDir.resolve("conmon.pid");
    }

    Path containerPidFile() {
        return persistDir.resolve("pidfile");
    }

    Path runtimeLog() {
        return persistDir.resolve("runtime-create.log");
    }
}
