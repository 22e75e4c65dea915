package dev.berth.streaming.websocket;

import java.util.List;
import java.util.Optional;

/**
 * The {@code channel.k8s.io} family of WebSocket sub-protocols, as kubelet's streaming server speaks them
 * (k8s.io/apimachinery wsstream): every message starts with its channel, a byte in the binary framings and an
 * ASCII digit before base64 data in the {@code base64.} ones.
 */
enum ChannelProtocol {

    /** No sub-protocol offered: kubelet then frames as {@code channel.k8s.io} does. */
    LEGACY("", false, false, false),
    V1("channel.k8s.io", false, false, false),
    V1_BASE64("base64.channel.k8s.io", true, false, false),
    V4("v4.channel.k8s.io", false, true, false),
    V4_BASE64("v4.base64.channel.k8s.io", true, true, false),
    /** v4 plus the client's half-close: a message {@code {255, channel}} ends that channel's input. */
    V5("v5.channel.k8s.io", false, true, true);

    /** kubelet's exec and attach, plus v5, which only the API server's translator serves upstream. */
    static final List<ChannelProtocol> REMOTE_COMMAND = List.of(V5, V4, V4_BASE64, V1, V1_BASE64, LEGACY);

    static final List<ChannelProtocol> PORT_FORWARD = List.of(V4, V4_BASE64, LEGACY);

    /** The channel byte that, in v5, announces a half-close of the channel named by the next byte. */
    static final int STREAM_CLOSE = 255;

    private final String wireName;
    private final boolean base64;
    private final boolean statusJson;
    private final boolean streamClose;

    ChannelProtocol(String wireName, boolean base64, boolean statusJson, boolean streamClose) {
        this.wireName = wireName;
        this.base64 = base64;
        this.statusJson = statusJson;
        this.streamClose = streamClose;
    }

    /** As the {@code Sec-WebSocket-Protocol} header names it; empty for {@link #LEGACY}. */
    String wireName() {
        return wireName;
    }

    boolean base64() {
        return base64;
    }

    /** Whether a remote command's error channel carries a {@code metav1.Status} JSON (v4 on). */
    boolean statusJson() {
        return statusJson;
    }

    boolean streamClose() {
        return streamClose;
    }

    /**
     * kubelet's choice: the first protocol in the client's order that the server speaks. A client that
     * offers none gets {@link #LEGACY}; one that offers only unknown ones gets nothing (kubelet answers 403).
     */
    static Optional<ChannelProtocol> choose(List<String> offered, List<ChannelProtocol> supported) {
        List<String> asked = offered.isEmpty() ? List.of("") : offered;
        for (String name : asked) {
            for (ChannelProtocol protocol : supported) {
                if (protocol.wireName.equals(name)) {
                    return Optional.of(protocol);
                }
            }
        }
        return Optional.empty();
    }

    static List<String> wireNames(List<ChannelProtocol> protocols) {
        return protocols.stream()
                .map(ChannelProtocol::wireName)
                .filter(name -> !name.isEmpty())
                .toList();
    }
}
