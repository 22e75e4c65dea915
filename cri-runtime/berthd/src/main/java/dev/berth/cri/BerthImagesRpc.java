package dev.berth.cri;

import dev.berth.api.v1.HistoryEntry;
import dev.berth.api.v1.HistoryRequest;
import dev.berth.api.v1.HistoryResponse;
import dev.berth.api.v1.ImagesGrpc;
import dev.berth.api.v1.PushProgress;
import dev.berth.api.v1.PushRequest;
import dev.berth.api.v1.TagRequest;
import dev.berth.api.v1.TagResponse;
import dev.berth.cri.validation.Requests;
import dev.berth.image.registry.PushEvent;
import dev.berth.image.registry.RegistryPusher;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.ImageService;
import dev.berth.imagestore.PushService;
import dev.berth.store.NotFoundException;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;

/** berth.v1 Images (push, tag, history) beside CRI: validates, calls the feature, maps to protobuf. */
public final class BerthImagesRpc extends ImagesGrpc.ImagesImplBase {

    private final ImageService images;
    private final PushService pushes;
    private final ImageProtos protos;

    public BerthImagesRpc(ImageService images, PushService pushes, ImageProtos protos) {
        this.images = images;
        this.pushes = pushes;
        this.protos = protos;
    }

    @Override
    public void push(PushRequest request, StreamObserver<PushProgress> observer) {
        ServerCallStreamObserver<PushProgress> call = (ServerCallStreamObserver<PushProgress>) observer;
        // a client that goes away (cancel, deadline) stops the uploads: the push thread's interrupt ends them.
        // The call's own cancel handler would run only after this method returns; the context hears at once.
        Context context = Context.current();
        Thread pushing = Thread.currentThread();
        Context.CancellationListener stop = cancelled -> pushing.interrupt();
        context.addListener(stop, Runnable::run);
        Object stream = new Object();
        try {
            Rpc.streaming("Push", observer, () -> {
                Requests.check(request);
                RegistryPusher.Pushed pushed =
                        pushes.push(request.getImage(), protos.credentials(request.getAuth()), event -> {
                            synchronized (stream) {
                                if (!call.isCancelled()) {
                                    observer.onNext(progress(event));
                                }
                            }
                        });
                synchronized (stream) {
                    observer.onNext(PushProgress.newBuilder()
                            .setState(PushProgress.State.MANIFEST)
                            .setDigest(pushed.digest().toString())
                            .setSize(pushed.size())
                            .setOffset(pushed.size())
                            .setReference(pushed.reference())
                            .build());
                }
            });
        } finally {
            context.removeListener(stop);
            // an interrupt that came as the push ended must not reach the next task of this thread
            Thread.interrupted();
        }
    }

    @Override
    public void tag(TagRequest request, StreamObserver<TagResponse> observer) {
        Rpc.unary("Tag", observer, () -> {
            Requests.check(request);
            ImageRecord tagged = images.tag(request.getSource(), request.getTarget());
            String name = dev.berth.image.reference.ImageReference.parse(request.getTarget())
                    .toString();
            return TagResponse.newBuilder()
                    .setImageId(tagged.id())
                    .setName(name)
                    .build();
        });
    }

    @Override
    public void history(HistoryRequest request, StreamObserver<HistoryResponse> observer) {
        Rpc.unary("History", observer, () -> {
            Requests.check(request);
            ImageRecord image = images.find(request.getImage())
                    .orElseThrow(() -> new NotFoundException("image", request.getImage()));
            HistoryResponse.Builder response = HistoryResponse.newBuilder().setImageId(image.id());
            for (dev.berth.imagestore.HistoryEntry entry : images.history(image)) {
                response.addEntries(HistoryEntry.newBuilder()
                        .setCreated(entry.created() == null ? 0 : nanos(entry.created()))
                        .setCreatedBy(entry.createdBy())
                        .setSize(entry.size())
                        .setComment(entry.comment())
                        .setEmptyLayer(entry.emptyLayer())
                        .setLayerDigest(entry.layerDigest() == null ? "" : entry.layerDigest()));
            }
            return response.build();
        });
    }

    private static PushProgress progress(PushEvent event) {
        PushProgress.Builder progress = PushProgress.newBuilder()
                .setState(
                        switch (event.kind()) {
                            case EXISTS -> PushProgress.State.EXISTS;
                            case MOUNTED -> PushProgress.State.MOUNTED;
                            case UPLOADING -> PushProgress.State.UPLOADING;
                            case PUSHED -> PushProgress.State.PUSHED;
                        })
                .setDigest(event.digest().toString())
                .setOffset(event.offset())
                .setSize(event.size());
        if (event.mountedFrom() != null) {
            progress.setMountedFrom(event.mountedFrom());
        }
        return progress.build();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
