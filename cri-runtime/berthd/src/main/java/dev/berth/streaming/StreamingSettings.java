package dev.berth.streaming;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the streaming server listens and how long streams may live.
 *
 * @param address               the address to bind: loopback by default, since kubelet proxies to it
 * @param port                  0 picks a free port
 * @param tlsCert               PEM certificate chain; with {@code tlsKey}, the server speaks HTTPS
 * @param idleTimeout           a stream with no traffic either way for this long is closed (containerd: 4 h)
 * @param streamCreationTimeout how long a client may take to open the streams it announced (kubelet: 30 s)
 */
public record StreamingSettings(
        String address, int port, Path tlsCert, Path tlsKey, Duration idleTimeout, Duration streamCreationTimeout) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(4);
    public static final Duration DEFAULT_STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

    public StreamingSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("streaming.port must be 0-65535, not " + port);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("streaming.tlsCert and streaming.tlsKey go together");
        }
        if (idleTimeout.isNegative()
                || idleTimeout.isZero()
                || streamCreationTimeout.isNegative()
                || streamCreationTimeout.isZero()) {
            throw new IllegalArgumentException("streaming timeouts must be positive");
        }
    }

    public static StreamingSettings loopback() {
        return new StreamingSettings("127.0.0.1", 0, null, null, DEFAULT_IDLE_TIMEOUT, DEFAULT_STREAM_CREATION_TIMEOUT);
    }

    public boolean tls() {
        return tlsCert != null;
    }
}
