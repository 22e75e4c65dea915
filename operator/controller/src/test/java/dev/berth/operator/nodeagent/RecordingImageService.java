package dev.berth.operator.nodeagent;

import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.PullImageResponse;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryException;
import dev.berth.image.registry.ResolvedImage;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A CRI ImageService peer on a unix socket that answers PullImage the way berthd does: it resolves the image at
 * the real registry with the request's AuthConfig (so refusals and missing tags are the registry's own), answers a
 * failure with berthd's status code for it (NOT_FOUND, UNAVAILABLE for an unreachable registry, INVALID_ARGUMENT for
 * a bad reference, ...) and remembers what it "has". It does not unpack layers: a real runtime under a test needs root, runc and minutes
 * of setup, and the agent only sees the CRI protocol anyway; the full path (berthd pulling) is berthd's own tests.
 */
final class RecordingImageService extends ImageServiceGrpc.ImageServiceImplBase implements AutoCloseable {
    record Pull(String image, String username, String password) {}

    private final RegistryClient registry = new RegistryClient(RegistryConfig.empty());
    private final List<Pull> pulls = new CopyOnWriteArrayList<>();
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final Path dir;
    private final EventLoopGroup group = new EpollEventLoopGroup(1);
    private final Server server;

    RecordingImageService() throws Exception {
        dir = Files.createTempDirectory("berth-cri-");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket().toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .addService(this)
                .build()
                .start();
    }

    Path socket() {
        return dir.resolve("cri.sock");
    }

    String endpoint() {
        return "unix://" + socket();
    }

    List<Pull> pulls() {
        return List.copyOf(pulls);
    }

    void forget(String image) {
        present.remove(image);
    }

    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> response) {
        String image = request.getImage().getImage();
        pulls.add(new Pull(
                image, request.getAuth().getUsername(), request.getAuth().getPassword()));
        ImageReference ref;
        try {
            ref = ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            response.onError(
                    Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
        }
        try {
            RegistryCredentials credentials = request.hasAuth()
                    ? new RegistryCredentials(
                            request.getAuth().getUsername(),
                            request.getAuth().getPassword(),
                            null,
                            null,
                            request.getAuth().getServerAddress())
                    : RegistryCredentials.NONE;
            ResolvedImage resolved = registry.resolve(ref, credentials, Platform.host());
            present.add(image);
            response.onNext(PullImageResponse.newBuilder()
                    .setImageRef(resolved.manifest().config().digest().toString())
                    .build());
            response.onCompleted();
        } catch (RegistryException e) {
            response.onError(status(e.reason())
                    .withDescription("pulling " + ref + ": " + e.getMessage())
                    .asException());
        }
    }

    /** berthd's answer to a registry's refusal (PullException.from, then GrpcErrors): the code says who failed. */
    private static Status status(RegistryException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAUTHORIZED -> Status.UNAUTHENTICATED;
            case DENIED -> Status.PERMISSION_DENIED;
            case UNREACHABLE, SERVER_ERROR -> Status.UNAVAILABLE;
            case UNSUPPORTED, INVALID -> Status.FAILED_PRECONDITION;
            case DIGEST_MISMATCH -> Status.DATA_LOSS;
            case TOO_MANY_REQUESTS -> Status.RESOURCE_EXHAUSTED;
        };
    }

    @Override
    public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> response) {
        ImageStatusResponse.Builder answer = ImageStatusResponse.newBuilder();
        if (present.contains(request.getImage().getImage())) {
            answer.setImage(Image.newBuilder().setId(request.getImage().getImage()));
        }
        response.onNext(answer.build());
        response.onCompleted();
    }

    @Override
    public void close() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        registry.close();
        Files.deleteIfExists(socket());
        Files.deleteIfExists(dir);
    }
}
