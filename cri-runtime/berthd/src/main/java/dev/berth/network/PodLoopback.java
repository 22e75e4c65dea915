package dev.berth.network;

import dev.berth.sys.NamespaceCalls;
import dev.berth.sys.RouteNetlink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

/** Brings up {@code lo} in a pod's network namespace, which the kernel creates down. */
@FunctionalInterface
public interface PodLoopback {

    void bringUp(Path netns) throws IOException;

    /**
     * Over rtnetlink from berthd: what the CNI loopback plugin does on ADD, without its process (~4 ms of every
     * pod start on the CNI path). Every network namespace has an {@code lo}; one without is left alone.
     */
    static PodLoopback overNetlink(NamespaceCalls namespaces) {
        return netns -> {
            try (RouteNetlink pod = RouteNetlink.openIn(netns, namespaces)) {
                OptionalInt lo = pod.linkIndex("lo");
                if (lo.isPresent()) {
                    pod.setUp(lo.getAsInt());
                }
            }
        };
    }
}
