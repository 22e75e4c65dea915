package dev.berth.network;

import java.io.IOException;
import java.util.Optional;

/** A pod's network attachment: {@link CniNetwork} in berthd, fakes in tests. */
public interface PodNetwork {

    /** Attaches the pod; a failed attach has rolled itself back. */
    PodNetworkStatus setUp(PodNetworkRequest request) throws IOException;

    /** Detaches the pod; detaching one that is not attached (or whose namespace is gone) succeeds. */
    void tearDown(PodNetworkRequest request) throws IOException;

    /** Why pods cannot be attached now (CRI's NetworkReady false), or empty when they can. */
    Optional<String> notReadyReason();

    /** The node's pod CIDR from kubelet, for the embedded default network. */
    void usePodCidr(String text) throws IOException;
}
