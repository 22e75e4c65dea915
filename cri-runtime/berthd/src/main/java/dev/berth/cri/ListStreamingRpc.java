package dev.berth.cri;

import dev.berth.cri.v1.ListContainerStatsRequest;
import dev.berth.cri.v1.ListContainerStatsResponse;
import dev.berth.cri.v1.ListContainersRequest;
import dev.berth.cri.v1.ListPodSandboxMetricsRequest;
import dev.berth.cri.v1.ListPodSandboxMetricsResponse;
import dev.berth.cri.v1.ListPodSandboxRequest;
import dev.berth.cri.v1.ListPodSandboxStatsRequest;
import dev.berth.cri.v1.ListPodSandboxStatsResponse;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.StreamContainerStatsRequest;
import dev.berth.cri.v1.StreamContainerStatsResponse;
import dev.berth.cri.v1.StreamContainersRequest;
import dev.berth.cri.v1.StreamContainersResponse;
import dev.berth.cri.v1.StreamPodSandboxMetricsRequest;
import dev.berth.cri.v1.StreamPodSandboxMetricsResponse;
import dev.berth.cri.v1.StreamPodSandboxStatsRequest;
import dev.berth.cri.v1.StreamPodSandboxStatsResponse;
import dev.berth.cri.v1.StreamPodSandboxesRequest;
import dev.berth.cri.v1.StreamPodSandboxesResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Function;

/**
 * The Stream* calls of CRI list streaming (kubelet's CRIListStreaming gate, alpha in 1.36; kubelet falls back
 * to the List calls on UNIMPLEMENTED): each is its List call's answer, as {@link RuntimeServiceRpc} gives it,
 * sent in batches so no message comes near the gRPC size limit on a node with thousands of containers.
 */
abstract class ListStreamingRpc extends RuntimeServiceGrpc.RuntimeServiceImplBase {

    /** Items per streamed message, as containerd batches them: at ~1.5 KB an item, far below any limit. */
    static final int BATCH = 100;

    @Override
    public void streamPodSandboxMetrics(
            StreamPodSandboxMetricsRequest request, StreamObserver<StreamPodSandboxMetricsResponse> observer) {
        listPodSandboxMetrics(
                ListPodSandboxMetricsRequest.getDefaultInstance(),
                batching(
                        observer,
                        ListPodSandboxMetricsResponse::getPodMetricsList,
                        batch -> StreamPodSandboxMetricsResponse.newBuilder()
                                .addAllPodSandboxMetrics(batch)
                                .build()));
    }

    @Override
    public void streamPodSandboxes(
            StreamPodSandboxesRequest request, StreamObserver<StreamPodSandboxesResponse> observer) {
        listPodSandbox(
                ListPodSandboxRequest.newBuilder()
                        .setFilter(request.getFilter())
                        .build(),
                batching(
                        observer,
                        listed -> EncodedProtos.decoded(listed).getItemsList(),
                        batch -> StreamPodSandboxesResponse.newBuilder()
                                .addAllPodSandboxes(batch)
                                .build()));
    }

    @Override
    public void streamContainers(StreamContainersRequest request, StreamObserver<StreamContainersResponse> observer) {
        listContainers(
                ListContainersRequest.newBuilder()
                        .setFilter(request.getFilter())
                        .build(),
                batching(
                        observer,
                        listed -> EncodedProtos.decoded(listed).getContainersList(),
                        batch -> StreamContainersResponse.newBuilder()
                                .addAllContainers(batch)
                                .build()));
    }

    @Override
    public void streamContainerStats(
            StreamContainerStatsRequest request, StreamObserver<StreamContainerStatsResponse> observer) {
        listContainerStats(
                ListContainerStatsRequest.newBuilder()
                        .setFilter(request.getFilter())
                        .build(),
                batching(
                        observer,
                        ListContainerStatsResponse::getStatsList,
                        batch -> StreamContainerStatsResponse.newBuilder()
                                .addAllContainerStats(batch)
                                .build()));
    }

    @Override
    public void streamPodSandboxStats(
            StreamPodSandboxStatsRequest request, StreamObserver<StreamPodSandboxStatsResponse> observer) {
        listPodSandboxStats(
                ListPodSandboxStatsRequest.newBuilder()
                        .setFilter(request.getFilter())
                        .build(),
                batching(
                        observer,
                        ListPodSandboxStatsResponse::getStatsList,
                        batch -> StreamPodSandboxStatsResponse.newBuilder()
                                .addAllPodSandboxStats(batch)
                                .build()));
    }

    /** An observer for the List call that forwards its answer to the stream in batches, errors as they are. */
    static <L, T, S> StreamObserver<L> batching(
            StreamObserver<S> stream, Function<L, List<T>> items, Function<List<T>, S> batch) {
        return new StreamObserver<>() {
            @Override
            public void onNext(L listed) {
                List<T> all = items.apply(listed);
                for (int from = 0; from < all.size(); from += BATCH) {
                    stream.onNext(batch.apply(all.subList(from, Math.min(all.size(), from + BATCH))));
                }
            }

            @Override
            public void onError(Throwable failure) {
                stream.onError(failure);
            }

            @Override
            public void onCompleted() {
                stream.onCompleted();
            }
        };
    }
}
