package dev.berth.streaming;

import dev.berth.runtime.RemoteStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an exec or attach for a protocol handler, whatever its framing, and says what the error channel
 * must carry at the end: the exit status, or why the command could not run.
 */
public final class RemoteCommands {

    private static final Logger log = LoggerFactory.getLogger(RemoteCommands.class);

    private final ContainerStreams containers;

    public RemoteCommands(ContainerStreams containers) {
        this.containers = containers;
    }

    /**
     * Blocks until the command ends.
     *
     * @param statusJson whether the negotiated protocol (v4 and later) reports a {@code metav1.Status}
     * @return the error channel's final message (possibly empty: nothing to write)
     */
    public byte[] run(StreamRequest request, RemoteStreams streams, boolean statusJson) {
        try {
            return switch (request) {
                case StreamRequest.Exec exec -> {
                    int exitCode = containers.exec(exec, streams);
                    log.info(
                            "container {}: exec {} exited with {}",
                            exec.containerId(),
                            exec.command().getFirst(),
                            exitCode);
                    yield RemoteCommandStatus.exit(exitCode, statusJson);
                }
                case StreamRequest.Attach attach -> {
                    containers.attach(attach.containerId(), attach.channels().tty(), streams);
                    yield RemoteCommandStatus.exit(0, statusJson);
                }
                case StreamRequest.PortForward forward ->
                    throw new IllegalArgumentException("a port forward is not a remote command");
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RemoteCommandStatus.failure("interrupted", statusJson);
        } catch (Exception e) {
            String id = switch (request) {
                case StreamRequest.Exec exec -> exec.containerId();
                case StreamRequest.Attach attach -> attach.containerId();
                case StreamRequest.PortForward forward -> forward.podSandboxId();
            };
            log.info("container {}: {} failed: {}", id, request.kind(), e.getMessage());
            return RemoteCommandStatus.failure("error executing command in container: " + e.getMessage(), statusJson);
        }
    }
}
