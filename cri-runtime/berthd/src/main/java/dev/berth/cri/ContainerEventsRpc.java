package dev.berth.cri;

import dev.berth.container.ContainerRecord;
import dev.berth.cri.v1.ContainerEventResponse;
import dev.berth.cri.v1.ContainerEventType;
import dev.berth.cri.v1.GetEventsRequest;
import dev.berth.events.ContainerEvent;
import dev.berth.events.ContainerEvents;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GetContainerEvents, the stream kubelet's Evented PLEG reads: every event carries the pod's status and all
 * its containers' statuses, from which kubelet rebuilds its pod cache without asking. The stream ends only
 * when the client cancels it, or with RESOURCE_EXHAUSTED when the client reads too slowly to keep up (kubelet
 * then relists and subscribes again).
 */
final class ContainerEventsRpc {

    private static final Logger log = LoggerFactory.getLogger(ContainerEventsRpc.class);
    private static final long POLL_MILLIS = 200;

    private final ContainerEvents events;
    private final SandboxProtos sandboxProtos;
    private final ContainerProtos containerProtos;

    ContainerEventsRpc(ContainerEvents events, SandboxProtos sandboxProtos, ContainerProtos containerProtos) {
        this.events = events;
        this.sandboxProtos = sandboxProtos;
        this.containerProtos = containerProtos;
    }

    void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> observer) {
        ServerCallStreamObserver<ContainerEventResponse> call =
                (ServerCallStreamObserver<ContainerEventResponse>) observer;
        ContainerEvents.Subscription subscription = events.subscribe();
        // gRPC runs a call's callbacks one at a time: the handler must return for the cancel callback to run,
        // so the events are sent from a thread of their own
        Thread sender = Thread.ofVirtual().name("container-events").unstarted(() -> send(call, subscription));
        call.setOnCancelHandler(() -> {
            subscription.close();
            sender.interrupt();
        });
        sender.start();
    }

    private void send(
            ServerCallStreamObserver<ContainerEventResponse> call, ContainerEvents.Subscription subscription) {
        try (subscription) {
            while (!call.isCancelled()) {
                ContainerEvent event = subscription.poll(POLL_MILLIS);
                if (event != null) {
                    // gRPC buffers what the client has not read without bound; wait instead, so the bounded
                    // subscription buffer is what fills up and a stalled client is dropped
                    while (!call.isReady() && !call.isCancelled()) {
                        Thread.sleep(10);
                    }
                    if (!call.isCancelled()) {
                        call.onNext(proto(event));
                    }
                } else if (subscription.dropped()) {
                    call.onError(Status.RESOURCE_EXHAUSTED
                            .withDescription("container events were read too slowly; relist and subscribe again")
                            .asRuntimeException());
                    return;
                }
            }
        } catch (InterruptedException e) {
            log.debug("container event stream cancelled");
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(GrpcErrors.toStatus("GetContainerEvents", e));
            }
        }
    }

    private ContainerEventResponse proto(ContainerEvent event) {
        ContainerEventResponse.Builder response = ContainerEventResponse.newBuilder()
                .setContainerId(event.containerId())
                .setContainerEventType(
                        switch (event.type()) {
                            case CREATED -> ContainerEventType.CONTAINER_CREATED_EVENT;
                            case STARTED -> ContainerEventType.CONTAINER_STARTED_EVENT;
                            case STOPPED -> ContainerEventType.CONTAINER_STOPPED_EVENT;
                            case DELETED -> ContainerEventType.CONTAINER_DELETED_EVENT;
                        })
                .setCreatedAt(event.createdAtNanos());
        if (event.sandbox() != null) {
            response.setPodSandboxStatus(sandboxProtos.status(event.sandbox()));
        }
        for (ContainerRecord container : event.containers()) {
            if (container.state() != dev.berth.container.ContainerState.CREATING) {
                response.addContainersStatuses(containerProtos.status(container));
            }
        }
        return response.build();
    }
}
