package dev.berth.operator.nodeagent;

import dev.berth.cri.v1.AuthConfig;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.image.registry.RegistryCredentials;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The CRI ImageService of the node's runtime (berthd, containerd, CRI-O) over its unix socket, as kubelet calls
 * it: PullImage with the pull secret's AuthConfig, ImageStatus to see whether an image is still there.
 */
public final class CriImageClient implements AutoCloseable {
    /** kubelet's CRI message limit; the default 4 MiB is too small for a node's list calls. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);

    private final String endpoint;
    private final EventLoopGroup group;
    private final ManagedChannel channel;
    private final Duration pullTimeout;

    /**
     * @param endpoint    {@code unix:///run/berth/berth.sock} or a plain socket path
     * @param pullTimeout how long one pull may take before it is reported as failed
     */
    public CriImageClient(String endpoint, Duration pullTimeout) {
        this.endpoint = endpoint;
        this.pullTimeout = pullTimeout;
        this.group = new EpollEventLoopGroup(1);
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socketPath(endpoint)))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    static String socketPath(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("CRI endpoint is empty; give unix:///path/to/runtime.sock");
        }
        if (endpoint.startsWith("unix://")) {
            return endpoint.substring("unix://".length());
        }
        if (endpoint.startsWith("/")) {
            return endpoint;
        }
        throw new IllegalArgumentException(
                "CRI endpoint " + endpoint + " is not a unix socket; give unix:///path/to/runtime.sock");
    }

    /** Pulls through the runtime; returns the image_ref it answers (an image ID or digest, per runtime). */
    public String pull(String image, RegistryCredentials credentials) throws CriPullException {
        PullImageRequest.Builder request =
                PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image));
        if (credentials != null && !credentials.isEmpty()) {
            request.setAuth(auth(credentials));
        }
        try {
            return ImageServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(pullTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .pullImage(request.build())
                    .getImageRef();
        } catch (StatusRuntimeException e) {
            throw new CriPullException(describe(e), e);
        }
    }

    /** Whether the runtime has the image now (it may have been garbage-collected since the pull). */
    public boolean present(String image) throws CriPullException {
        try {
            return ImageServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(STATUS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .imageStatus(ImageStatusRequest.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(image))
                            .build())
                    .hasImage();
        } catch (StatusRuntimeException e) {
            throw new CriPullException(describe(e), e);
        }
    }

    private static AuthConfig auth(RegistryCredentials c) {
        AuthConfig.Builder auth = AuthConfig.newBuilder();
        if (c.username() != null) {
            auth.setUsername(c.username());
        }
        if (c.password() != null) {
            auth.setPassword(c.password());
        }
        if (c.identityToken() != null) {
            auth.setIdentityToken(c.identityToken());
        }
        if (c.registryToken() != null) {
            auth.setRegistryToken(c.registryToken());
        }
        if (c.serverAddress() != null) {
            auth.setServerAddress(c.serverAddress());
        }
        return auth.build();
    }

    /**
     * The runtime's answer in words. UNAVAILABLE means two things: the runtime's own answer that the registry is
     * unreachable (berthd, containerd), or gRPC's when the socket does not answer at all. Only the second is a runtime
     * that is down: the status then carries the transport's exception, or the channel is not connected.
     */
    private String describe(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        String words = description == null ? e.getStatus().getCode().toString() : description;
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE ->
                runtimeDown(e.getStatus())
                        ? "CRI runtime at " + endpoint + " unavailable: " + words
                        : "the runtime could not reach the registry: " + words;
            case DEADLINE_EXCEEDED -> "pull did not finish within " + pullTimeout.toSeconds() + " s";
            case NOT_FOUND -> "image not found: " + words;
            case INVALID_ARGUMENT -> "invalid image reference: " + words;
            case UNAUTHENTICATED, PERMISSION_DENIED -> "the registry refused the pull: " + words;
            default -> words;
        };
    }

    private boolean runtimeDown(Status status) {
        return status.getCause() != null || channel.isShutdown() || channel.getState(false) != ConnectivityState.READY;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
