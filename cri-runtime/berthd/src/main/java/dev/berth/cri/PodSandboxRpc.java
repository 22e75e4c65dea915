package dev.berth.cri;

import com.google.protobuf.ByteString;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.ListPodSandboxResponse;
import dev.berth.cri.v1.PodSandboxFilter;
import dev.berth.cri.v1.PodSandboxStatusRequest;
import dev.berth.cri.v1.PodSandboxStatusResponse;
import dev.berth.cri.v1.RemovePodSandboxRequest;
import dev.berth.cri.v1.RemovePodSandboxResponse;
import dev.berth.cri.v1.RunPodSandboxRequest;
import dev.berth.cri.v1.RunPodSandboxResponse;
import dev.berth.cri.v1.StopPodSandboxRequest;
import dev.berth.cri.v1.StopPodSandboxResponse;
import dev.berth.cri.v1.UpdatePodSandboxResourcesRequest;
import dev.berth.cri.v1.UpdatePodSandboxResourcesResponse;
import dev.berth.cri.validation.Requests;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.store.Timestamps;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** RunPodSandbox through ListPodSandbox and UpdatePodSandboxResources: the sandbox feature's calls. */
final class PodSandboxRpc {

    private final SandboxService sandboxes;
    private final SandboxProtos protos;
    private final EncodedProtos<SandboxRecord> listed;

    PodSandboxRpc(SandboxService sandboxes, SandboxProtos protos) {
        this.sandboxes = sandboxes;
        this.protos = protos;
        this.listed = new EncodedProtos<>(protos::sandbox);
    }

    void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> observer) {
        Rpc.unary("RunPodSandbox", observer, () -> {
            Requests.check(request);
            SandboxRecord sandbox = sandboxes.run(request.getConfig(), request.getRuntimeHandler());
            return RunPodSandboxResponse.newBuilder()
                    .setPodSandboxId(sandbox.id())
                    .build();
        });
    }

    void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> observer) {
        Rpc.unary("StopPodSandbox", observer, () -> {
            sandboxes.stop(Rpc.requireId("pod_sandbox_id", request.getPodSandboxId()));
            return StopPodSandboxResponse.getDefaultInstance();
        });
    }

    void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> observer) {
        Rpc.unary("RemovePodSandbox", observer, () -> {
            sandboxes.remove(Rpc.requireId("pod_sandbox_id", request.getPodSandboxId()));
            return RemovePodSandboxResponse.getDefaultInstance();
        });
    }

    void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> observer) {
        Rpc.unary("PodSandboxStatus", observer, () -> {
            SandboxRecord sandbox = sandboxes.get(Rpc.requireId("pod_sandbox_id", request.getPodSandboxId()));
            PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
                    .setStatus(protos.status(sandbox))
                    .setTimestamp(Timestamps.nowNanos());
            if (request.getVerbose()) {
                response.putInfo("info", protos.verboseInfo(sandbox));
            }
            return response.build();
        });
    }

    void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> observer) {
        Rpc.unary("ListPodSandbox", observer, () -> {
            Requests.check(request.getFilter());
            List<ByteString> items = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (SandboxRecord sandbox : sandboxes.list(SandboxProtos.filter(request.getFilter()))) {
                items.add(listed.of(sandbox.id(), sandbox));
                ids.add(sandbox.id());
            }
            if (request.getFilter().equals(PodSandboxFilter.getDefaultInstance())) {
                listed.retainOnly(ids);
            }
            return EncodedProtos.listOf(
                    ListPodSandboxResponse.getDefaultInstance(), ListPodSandboxResponse.ITEMS_FIELD_NUMBER, items);
        });
    }

    void updatePodSandboxResources(
            UpdatePodSandboxResourcesRequest request, StreamObserver<UpdatePodSandboxResourcesResponse> observer) {
        Rpc.unary("UpdatePodSandboxResources", observer, () -> {
            Requests.check(request);
            sandboxes.updateResources(request.getPodSandboxId(), request.getOverhead(), request.getResources());
            return UpdatePodSandboxResourcesResponse.getDefaultInstance();
        });
    }
}
