package dev.berth.cri;

import dev.berth.api.v1.ContainerExecRequest;
import dev.berth.api.v1.ContainersGrpc;
import dev.berth.container.ContainerService;
import dev.berth.container.ExecUsers;
import dev.berth.cri.v1.ExecResponse;
import dev.berth.cri.validation.Requests;
import dev.berth.oci.ProcessOptions;
import dev.berth.sandbox.SandboxService;
import dev.berth.streaming.StreamingServer;
import io.grpc.stub.StreamObserver;

/**
 * berth.v1 Containers beside CRI: Exec with docker's user, working directory and variables, which CRI's Exec
 * cannot carry. Everything else is CRI's Exec ({@link StreamingRpc}): checks, running state, limits, token.
 */
public final class BerthContainersRpc extends ContainersGrpc.ContainersImplBase {

    private final StreamingRpc streaming;
    private final ExecUsers users;

    public BerthContainersRpc(
            StreamingServer server, SandboxService sandboxes, ContainerService containers, ExecUsers users) {
        this.streaming = new StreamingRpc(server, sandboxes, containers);
        this.users = users;
    }

    @Override
    public void exec(ContainerExecRequest request, StreamObserver<ExecResponse> observer) {
        Rpc.unary("Exec", observer, () -> {
            Requests.check(request);
            String url = streaming.execUrl(
                    request.getExec(),
                    container -> new ProcessOptions(
                            request.getUser().isEmpty() ? null : users.resolve(container, request.getUser()),
                            request.getWorkdir().isEmpty() ? null : request.getWorkdir(),
                            request.getEnvList()));
            return ExecResponse.newBuilder().setUrl(url).build();
        });
    }
}
