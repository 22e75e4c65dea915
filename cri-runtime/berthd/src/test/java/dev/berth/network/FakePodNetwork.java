package dev.berth.network;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A pod network in memory: records attaches and detaches by pod ID; told to, fails the attach. */
public final class FakePodNetwork implements PodNetwork {

    public final List<String> attached = new CopyOnWriteArrayList<>();
    public final List<String> detached = new CopyOnWriteArrayList<>();
    public volatile boolean failSetUp;

    @Override
    public PodNetworkStatus setUp(PodNetworkRequest request) throws IOException {
        attached.add(request.podId());
        if (failSetUp) {
            throw new IOException("injected CNI ADD failure for " + request.podId());
        }
        return new PodNetworkStatus("eth0", "10.88.0.2", List.of());
    }

    @Override
    public void tearDown(PodNetworkRequest request) {
        detached.add(request.podId());
    }

    @Override
    public Optional<String> notReadyReason() {
        return Optional.empty();
    }

    @Override
    public void usePodCidr(String text) {}
}
