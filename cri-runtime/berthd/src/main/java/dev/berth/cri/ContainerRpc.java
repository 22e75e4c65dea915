package dev.berth.cri;

import com.google.protobuf.ByteString;
import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerService;
import dev.berth.cri.v1.ContainerFilter;
import dev.berth.cri.v1.ContainerStatusRequest;
import dev.berth.cri.v1.ContainerStatusResponse;
import dev.berth.cri.v1.CreateContainerRequest;
import dev.berth.cri.v1.CreateContainerResponse;
import dev.berth.cri.v1.ExecSyncRequest;
import dev.berth.cri.v1.ExecSyncResponse;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListContainersResponse;
import dev.berth.cri.v1.RemoveContainerRequest;
import dev.berth.cri.v1.RemoveContainerResponse;
import dev.berth.cri.v1.ReopenContainerLogRequest;
import dev.berth.cri.v1.ReopenContainerLogResponse;
import dev.berth.cri.v1.StartContainerRequest;
import dev.berth.cri.v1.StartContainerResponse;
import dev.berth.cri.v1.StopContainerRequest;
import dev.berth.cri.v1.StopContainerResponse;
import dev.berth.cri.v1.UpdateContainerResourcesRequest;
import dev.berth.cri.v1.UpdateContainerResourcesResponse;
import dev.berth.cri.validation.InvalidRequestException;
import dev.berth.cri.validation.Requests;
import dev.berth.cri.validation.Shown;
import dev.berth.runtime.ExecResult;
import dev.berth.sandbox.SandboxService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/** CreateContainer through ReopenContainerLog, and ExecSync: the container feature's calls. */
final class ContainerRpc {

    /** ExecSync without a timeout still may not hang a CRI call forever. */
    private static final Duration EXEC_SYNC_DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Longer timeouts (up to Long.MAX_VALUE seconds, which no clock can count in millis) mean "a day". */
    private static final Duration EXEC_SYNC_MAX_TIMEOUT = Duration.ofDays(1);
    /** A grace period past a year is no grace period anyone waits for; it also keeps the deadline countable. */
    private static final Duration STOP_MAX_TIMEOUT = Duration.ofDays(365);

    private final SandboxService sandboxes;
    private final ContainerService containers;
    private final ContainerProtos protos;
    private final EncodedProtos<ContainerRecord> listed;
    private final Executor recording;

    /** @param recording runs the list calls that have an exit to record, off the transport thread */
    ContainerRpc(SandboxService sandboxes, ContainerService containers, ContainerProtos protos, Executor recording) {
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.protos = protos;
        this.recording = recording;
        this.listed = new EncodedProtos<>(protos::container);
    }

    void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> observer) {
        Rpc.unary("CreateContainer", observer, () -> {
            Requests.check(request);
            // a unique prefix names the pod here as in every other call (crictl create <short id>)
            String sandboxId = sandboxes.get(request.getPodSandboxId()).id();
            ContainerRecord container = containers.create(sandboxId, request.getConfig(), request.getSandboxConfig());
            return CreateContainerResponse.newBuilder()
                    .setContainerId(container.id())
                    .build();
        });
    }

    void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> observer) {
        Rpc.unary("StartContainer", observer, () -> {
            containers.start(Rpc.requireId("container_id", request.getContainerId()));
            return StartContainerResponse.getDefaultInstance();
        });
    }

    void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> observer) {
        Rpc.unary("StopContainer", observer, () -> {
            Duration timeout = Requests.timeout(request.getTimeout(), Duration.ZERO, STOP_MAX_TIMEOUT);
            containers.stop(Rpc.requireId("container_id", request.getContainerId()), timeout.toSeconds());
            return StopContainerResponse.getDefaultInstance();
        });
    }

    void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> observer) {
        Rpc.unary("RemoveContainer", observer, () -> {
            containers.remove(Rpc.requireId("container_id", request.getContainerId()));
            return RemoveContainerResponse.getDefaultInstance();
        });
    }

    /**
     * On the transport thread ({@link TransportThreadCalls}), from memory; a call that would record an exit first
     * (write the record, maybe wait for its lock) goes to {@code recording}, so it stalls no other call on kubelet's
     * connection. The exit watcher records exits within milliseconds, so that is rare.
     */
    void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> observer) {
        Optional<List<ContainerRecord>> fromMemory;
        try {
            Requests.check(request.getFilter());
            fromMemory = containers.listUnlessExitsToRecord(ContainerProtos.filter(request.getFilter()));
        } catch (InvalidRequestException | IOException e) {
            fromMemory = Optional.empty(); // the full listing meets the same failure and answers it
        }
        if (fromMemory.isPresent()) {
            List<ContainerRecord> records = fromMemory.get();
            Rpc.unary("ListContainers", observer, () -> answer(request, records));
        } else {
            recording.execute(() -> Rpc.unary("ListContainers", observer, () -> {
                Requests.check(request.getFilter());
                return answer(request, containers.list(ContainerProtos.filter(request.getFilter())));
            }));
        }
    }

    private ListContainersResponse answer(ListContainersRequest request, List<ContainerRecord> records) {
        List<ByteString> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ContainerRecord container : records) {
            items.add(listed.of(container.id(), container));
            ids.add(container.id());
        }
        if (request.getFilter().equals(ContainerFilter.getDefaultInstance())) {
            listed.retainOnly(ids);
        }
        return EncodedProtos.listOf(
                ListContainersResponse.getDefaultInstance(), ListContainersResponse.CONTAINERS_FIELD_NUMBER, items);
    }

    void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> observer) {
        Rpc.unary("ContainerStatus", observer, () -> {
            ContainerRecord container = containers.get(Rpc.requireId("container_id", request.getContainerId()));
            ContainerStatusResponse.Builder response =
                    ContainerStatusResponse.newBuilder().setStatus(protos.status(container));
            if (request.getVerbose()) {
                response.putInfo("info", protos.verboseInfo(container));
            }
            return response.build();
        });
    }

    void updateContainerResources(
            UpdateContainerResourcesRequest request, StreamObserver<UpdateContainerResourcesResponse> observer) {
        Rpc.unary("UpdateContainerResources", observer, () -> {
            Requests.check(request);
            containers.updateResources(request.getContainerId(), request.getLinux());
            return UpdateContainerResourcesResponse.getDefaultInstance();
        });
    }

    void reopenContainerLog(ReopenContainerLogRequest request, StreamObserver<ReopenContainerLogResponse> observer) {
        Rpc.unary("ReopenContainerLog", observer, () -> {
            containers.reopenLog(Rpc.requireId("container_id", request.getContainerId()));
            return ReopenContainerLogResponse.getDefaultInstance();
        });
    }

    void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> observer) {
        Rpc.unary("ExecSync", observer, () -> {
            Requests.check(request);
            Duration timeout = Requests.timeout(request.getTimeout(), EXEC_SYNC_DEFAULT_TIMEOUT, EXEC_SYNC_MAX_TIMEOUT);
            ExecResult result = containers.execSync(request.getContainerId(), request.getCmdList(), timeout);
            if (result.timedOut()) {
                throw Status.DEADLINE_EXCEEDED
                        .withDescription("command " + Shown.of(request.getCmd(0)) + " timed out after "
                                + timeout.toSeconds() + " s")
                        .asRuntimeException();
            }
            return ExecSyncResponse.newBuilder()
                    .setStdout(ByteString.copyFrom(result.stdout()))
                    .setStderr(ByteString.copyFrom(result.stderr()))
                    .setExitCode(result.exitCode())
                    .build();
        });
    }
}
