package dev.berth.runtime;

import java.nio.file.Path;

/**
 * A container as the OCI runtime reports it.
 *
 * @param pid    the container's init process on the host, 0 once it has stopped
 * @param status as the runtime says it: {@code created}, {@code running}, {@code stopped}, {@code paused}
 */
public record RuntimeState(String id, int pid, String status, Path bundle) {

    public boolean isRunning() {
        return "running".equals(status);
    }

    public boolean isStopped() {
        return "stopped".equals(status);
    }
}
