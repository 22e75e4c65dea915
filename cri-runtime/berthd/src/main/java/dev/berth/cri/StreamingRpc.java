package dev.berth.cri;

import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerService;
import dev.berth.container.ContainerState;
import dev.berth.cri.v1.AttachRequest;
import dev.berth.cri.v1.AttachResponse;
import dev.berth.cri.v1.ExecRequest;
import dev.berth.cri.v1.ExecResponse;
import dev.berth.cri.v1.PortForwardRequest;
import dev.berth.cri.v1.PortForwardResponse;
import dev.berth.cri.validation.InvalidRequestException;
import dev.berth.cri.validation.Requests;
import dev.berth.oci.ProcessOptions;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxState;
import dev.berth.store.NotFoundException;
import dev.berth.streaming.StreamRequest;
import dev.berth.streaming.StreamingServer;
import dev.berth.streaming.TooManyStreamRequestsException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;

/**
 * Exec, Attach and PortForward: each checks what it names exists and can be streamed to, then answers with a
 * single-use URL on the streaming server, where the real work happens once the client connects.
 */
final class StreamingRpc {

    private final StreamingServer server;
    private final SandboxService sandboxes;
    private final ContainerService containers;

    StreamingRpc(StreamingServer server, SandboxService sandboxes, ContainerService containers) {
        this.server = server;
        this.sandboxes = sandboxes;
        this.containers = containers;
    }

    void exec(ExecRequest request, StreamObserver<ExecResponse> observer) {
        Rpc.unary(
                "Exec",
                observer,
                () -> ExecResponse.newBuilder()
                        .setUrl(execUrl(request, container -> ProcessOptions.NONE))
                        .build());
    }

    void attach(AttachRequest request, StreamObserver<AttachResponse> observer) {
        Rpc.unary(
                "Attach",
                observer,
                () -> AttachResponse.newBuilder().setUrl(attachUrl(request)).build());
    }

    void portForward(PortForwardRequest request, StreamObserver<PortForwardResponse> observer) {
        Rpc.unary(
                "PortForward",
                observer,
                () -> PortForwardResponse.newBuilder()
                        .setUrl(portForwardUrl(request))
                        .build());
    }

    /** An exec's options, made once its container is known to be running (a user's name is looked up in it). */
    interface ExecOptions {
        ProcessOptions of(ContainerRecord container) throws Exception;
    }

    /** CRI's Exec, and berth.v1's with its options: the same checks, limits and single-use token. */
    String execUrl(ExecRequest request, ExecOptions options) throws Exception {
        // the request's own faults first: INVALID_ARGUMENT whatever state the container is in
        Requests.check(request);
        var channels = new StreamRequest.Channels(
                request.getStdin(), request.getStdout(), request.getStderr(), request.getTty());
        ContainerRecord container = runningContainer(request.getContainerId(), "exec in");
        return url(new StreamRequest.Exec(container.id(), request.getCmdList(), channels, options.of(container)));
    }

    private String attachUrl(AttachRequest request)
            throws IOException, NotFoundException, TooManyStreamRequestsException, InvalidRequestException {
        Requests.check(request);
        var channels = new StreamRequest.Channels(
                request.getStdin(), request.getStdout(), request.getStderr(), request.getTty());
        ContainerRecord container = runningContainer(request.getContainerId(), "attach to");
        return url(new StreamRequest.Attach(container.id(), channels));
    }

    private String portForwardUrl(PortForwardRequest request)
            throws NotFoundException, TooManyStreamRequestsException, InvalidRequestException {
        Requests.check(request);
        List<Integer> ports = StreamRequest.PortForward.checkedPorts(request.getPortList());
        SandboxRecord sandbox = sandboxes.get(Rpc.requireId("pod_sandbox_id", request.getPodSandboxId()));
        if (sandbox.state() != SandboxState.READY) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("pod sandbox " + sandbox.id() + " is not ready")
                    .asRuntimeException();
        }
        return url(new StreamRequest.PortForward(sandbox.id(), ports));
    }

    private ContainerRecord runningContainer(String id, String verb)
            throws IOException, NotFoundException, InvalidRequestException {
        ContainerRecord container = containers.get(Rpc.requireId("container_id", id));
        if (container.state() != ContainerState.RUNNING) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("cannot " + verb + " container " + container.id() + ": it is "
                            + container.state().name().toLowerCase(java.util.Locale.ROOT))
                    .asRuntimeException();
        }
        return container;
    }

    private String url(StreamRequest request) throws TooManyStreamRequestsException {
        return server.url(request).toString();
    }
}
