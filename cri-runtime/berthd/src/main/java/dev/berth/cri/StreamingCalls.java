package dev.berth.cri;

import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerService;
import dev.berth.container.ContainerState;
import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxState;
import dev.berth.store.NotFoundException;
import dev.berth.streaming.StreamRequest;
import dev.berth.streaming.StreamingServer;
import dev.berth.streaming.TooManyStreamRequestsException;
import io.grpc.Status;
import java.io.IOException;
import java.util.List;

/**
 * Exec, Attach and PortForward: each checks what it names exists and can be streamed to, then answers with a
 * single-use URL on the streaming server, where the real work happens once the client connects.
 */
final class StreamingCalls {

    private final StreamingServer server;
    private final SandboxService sandboxes;
    private final ContainerService containers;

    StreamingCalls(StreamingServer server, SandboxService sandboxes, ContainerService containers) {
        this.server = server;
        this.sandboxes = sandboxes;
        this.containers = containers;
    }

    String exec(ExecRequest request) throws IOException, NotFoundException, TooManyStreamRequestsException {
        // the request's own faults first: INVALID_ARGUMENT whatever state the container is in
        var channels = new StreamRequest.Channels(request.getStdin(), request.getStdout(), request.getStderr(),
                request.getTty());
        if (request.getCmdCount() == 0) {
            throw new IllegalArgumentException("cmd is required");
        }
        ContainerRecord container = runningContainer(request.getContainerId(), "exec in");
        return url(new StreamRequest.Exec(container.id(), request.getCmdList(), channels));
    }

    String attach(AttachRequest request) throws IOException, NotFoundException, TooManyStreamRequestsException {
        var channels = new StreamRequest.Channels(request.getStdin(), request.getStdout(), request.getStderr(),
                request.getTty());
        ContainerRecord container = runningContainer(request.getContainerId(), "attach to");
        return url(new StreamRequest.Attach(container.id(), channels));
    }

    String portForward(PortForwardRequest request) throws NotFoundException, TooManyStreamRequestsException {
        List<Integer> ports = StreamRequest.PortForward.checkedPorts(request.getPortList());
        SandboxRecord sandbox = sandboxes.get(requireId("pod_sandbox_id", request.getPodSandboxId()));
        if (sandbox.state() != SandboxState.READY) {
            throw Status.FAILED_PRECONDITION.withDescription("pod sandbox " + sandbox.id() + " is not ready")
                    .asRuntimeException();
        }
        return url(new StreamRequest.PortForward(sandbox.id(), ports));
    }

    private ContainerRecord runningContainer(String id, String verb) throws IOException, NotFoundException {
        ContainerRecord container = containers.get(requireId("container_id", id));
        if (container.state() != ContainerState.RUNNING) {
            throw Status.FAILED_PRECONDITION.withDescription("cannot " + verb + " container " + container.id()
                    + ": it is " + container.state().name().toLowerCase(java.util.Locale.ROOT)).asRuntimeException();
        }
        return container;
    }

    private String url(StreamRequest request) throws TooManyStreamRequestsException {
        return server.url(request).toString();
    }

    private static String requireId(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
