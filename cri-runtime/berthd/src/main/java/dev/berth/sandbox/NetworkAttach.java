package dev.berth.sandbox;

import dev.berth.network.PodNetwork;
import dev.berth.network.PodNetworkRequest;
import dev.berth.network.PodNetworkStatus;
import dev.berth.timing.PhaseTimer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A pod's CNI ADD running on a virtual thread while RunPodSandbox does its other steps. */
final class NetworkAttach {

    private final CompletableFuture<PodNetworkStatus> result = new CompletableFuture<>();

    private NetworkAttach() {}

    static NetworkAttach start(PodNetwork network, PodNetworkRequest request, PhaseTimer timer) {
        NetworkAttach attach = new NetworkAttach();
        Thread.ofVirtual().name("berth-cni-" + request.podId()).start(() -> {
            long start = System.nanoTime();
            try {
                PodNetworkStatus status = network.setUp(request);
                timer.record("cni-add", System.nanoTime() - start);
                attach.result.complete(status);
            } catch (Throwable e) {
                attach.result.completeExceptionally(e);
            }
        });
        return attach;
    }

    /** Waits for the ADD; a failed ADD has already rolled itself back (see {@link PodNetwork#setUp}). */
    PodNetworkStatus await() throws IOException {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("CNI ADD failed", e.getCause());
        }
    }

    /** Waits for the ADD to end after another step failed; its own failure joins {@code failure} as suppressed. */
    void awaitQuietly(Throwable failure) {
        try {
            await();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
