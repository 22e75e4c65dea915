package dev.berth.cri;

import dev.berth.api.v1.LayerProgress;
import dev.berth.api.v1.LayerState;
import dev.berth.api.v1.PullComplete;
import dev.berth.api.v1.PullProgress;
import dev.berth.api.v1.PullRequest;
import dev.berth.api.v1.PullServiceGrpc;
import dev.berth.cri.validation.Requests;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.ImageService;
import dev.berth.imagestore.PullWatch;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * berth.v1 PullService: the pull CRI's PullImage runs (the same one, joined when it is running), with its layers'
 * progress streamed while it goes. Validates, calls {@link ImageService}, maps to protobuf.
 */
public final class PullServiceRpc extends PullServiceGrpc.PullServiceImplBase {

    /** At most ten messages a second per layer: a terminal redraws no faster, and a slow client is not flooded. */
    static final Duration INTERVAL = Duration.ofMillis(100);

    private final ImageService images;
    private final ImageProtos protos;

    public PullServiceRpc(ImageService images, ImageProtos protos) {
        this.images = images;
        this.protos = protos;
    }

    @Override
    public void pull(PullRequest request, StreamObserver<PullProgress> observer) {
        AtomicReference<ProgressSender> sender = new AtomicReference<>();
        try {
            Requests.check(request);
            Context call = Context.current();
            ImageRecord pulled = images.pull(
                    request.getImage().getImage(),
                    protos.credentials(request.getAuth()),
                    leave -> call.addListener(c -> leave.run(), Runnable::run),
                    watch -> sender.set(ProgressSender.start(watch, observer)));
            sender.get().finish();
            observer.onNext(PullProgress.newBuilder()
                    .setComplete(
                            PullComplete.newBuilder().setImageRef(pulled.id()).setDigest(pulled.manifestDigest()))
                    .build());
            observer.onCompleted();
        } catch (OutOfMemoryError | InternalError | UnknownError fatal) {
            throw fatal;
        } catch (Throwable e) {
            if (sender.get() != null) {
                sender.get().stop();
            }
            observer.onError(GrpcErrors.toStatus("Pull", e));
        }
    }

    static LayerProgress layer(dev.berth.imagestore.LayerProgress.Snapshot layer) {
        return LayerProgress.newBuilder()
                .setDigest(layer.digest())
                .setTotalBytes(layer.totalBytes())
                .setDownloadedBytes(layer.downloadedBytes())
                .setState(
                        switch (layer.state()) {
                            case WAITING -> LayerState.WAITING;
                            case DOWNLOADING -> LayerState.DOWNLOADING;
                            case VERIFYING -> LayerState.VERIFYING;
                            case EXTRACTING -> LayerState.EXTRACTING;
                            case COMPLETE -> LayerState.COMPLETE;
                            case ALREADY_EXISTS -> LayerState.ALREADY_EXISTS;
                        })
                .build();
    }

    /** Samples a pull's progress every {@link #INTERVAL} on a thread of its own, sending what changed. */
    private static final class ProgressSender {

        private final PullWatch watch;
        private final StreamObserver<PullProgress> observer;
        private final LayerChanges changes = new LayerChanges();
        private Thread thread;

        private ProgressSender(PullWatch watch, StreamObserver<PullProgress> observer) {
            this.watch = watch;
            this.observer = observer;
        }

        static ProgressSender start(PullWatch watch, StreamObserver<PullProgress> observer) {
            ProgressSender sender = new ProgressSender(watch, observer);
            sender.thread = Thread.ofVirtual().name("pull-progress").start(sender::run);
            return sender;
        }

        private void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    send();
                    Thread.sleep(INTERVAL);
                }
            } catch (InterruptedException e) {
                // finish() or stop(): the caller's thread sends from here on
            } catch (RuntimeException e) {
                // the call was cancelled under us; the pull's own thread reports the outcome
            }
        }

        private void send() {
            for (dev.berth.imagestore.LayerProgress.Snapshot layer : changes.changed(watch.snapshot())) {
                observer.onNext(PullProgress.newBuilder().setLayer(layer(layer)).build());
            }
        }

        /** Stops sampling and sends the final state of every layer, so each ends COMPLETE or ALREADY_EXISTS. */
        void finish() {
            stop();
            send();
        }

        /** Returns once the sampling thread has gone, so no two threads ever send on the stream. */
        void stop() {
            thread.interrupt();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
