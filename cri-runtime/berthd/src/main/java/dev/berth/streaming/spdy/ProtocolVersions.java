package dev.berth.streaming.spdy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code X-Stream-Protocol-Version} handshake, as k8s.io/apimachinery's {@code httpstream.Handshake} does it:
 * the client lists versions (the header repeated and/or comma-separated) in its order of preference, and the
 * server takes the client's first one it supports. A client that sends none is a Kubernetes 1.0 client: it
 * gets the unversioned protocol ({@code channel.k8s.io}, {@code portforward.k8s.io}), as kubelets before 1.31
 * gave it; kubelet's newer Handshake refuses such a request, which helps nobody.
 */
final class ProtocolVersions {

    static final String HEADER = "X-Stream-Protocol-Version";
    static final String ACCEPTED_HEADER = "X-Accepted-Stream-Protocol-Versions";

    /** Over SPDY v5 is v4: its one addition, the close signal, is WebSocket's; kubelet serves it so too. */
    static final String V5 = "v5.channel.k8s.io";

    static final String V4 = "v4.channel.k8s.io";
    static final String V3 = "v3.channel.k8s.io";
    static final String V2 = "v2.channel.k8s.io";
    static final String V1 = "channel.k8s.io";
    static final String PORT_FORWARD = "portforward.k8s.io";

    /** What berthd serves over SPDY for exec and attach, best first. */
    static final List<String> REMOTE_COMMAND = List.of(V5, V4, V3, V2, V1);

    static final List<String> PORT_FORWARDING = List.of(PORT_FORWARD);

    private ProtocolVersions() {}

    /** Whether the error stream carries a metav1.Status (v4 and its alias v5) rather than plain text. */
    static boolean statusJson(String protocol) {
        return protocol.equals(V5) || protocol.equals(V4);
    }

    static List<String> offered(HttpHeaders headers) {
        List<String> offered = new ArrayList<>();
        for (String value : headers.getAll(HEADER)) {
            for (String part : value.split(",")) {
                String version = part.strip();
                if (!version.isEmpty()) {
                    offered.add(version);
                }
            }
        }
        return offered;
    }

    /** The chosen version; empty when the client offered some and none is supported. */
    static Optional<String> choose(List<String> offered, List<String> supported) {
        if (offered.isEmpty()) {
            return Optional.of(supported.getLast());
        }
        return offered.stream().filter(supported::contains).findFirst();
    }

    /** The 403 body kubelet's Handshake writes, word for word (Go prints slices as {@code [a b]}). */
    static String refusal(List<String> offered, List<String> supported) {
        return "unable to upgrade: unable to negotiate protocol: client supports [" + String.join(" ", offered)
                + "], server accepts [" + String.join(" ", supported) + "]";
    }
}
