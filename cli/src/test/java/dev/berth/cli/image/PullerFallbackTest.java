package dev.berth.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.cri.Cri;
import dev.berth.cli.cri.Endpoint;
import dev.berth.cri.v1.Image;
import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.PullImageResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a CRI runtime without berth.v1 (its Pull is UNIMPLEMENTED), pull goes through CRI's PullImage. */
class PullerFallbackTest {

    private static final String ID = "sha256:" + "c".repeat(64);
    private static final String LAYER = "sha256:" + "d".repeat(64);

    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private final List<String> pulled = new ArrayList<>();
    private Server server;

    /** An ImageService that knows the image once PullImage ran; no berth.v1 service at all. */
    private final class CriOnly extends ImageServiceGrpc.ImageServiceImplBase {
        @Override
        public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> observer) {
            pulled.add(request.getImage().getImage());
            observer.onNext(PullImageResponse.newBuilder().setImageRef(ID).build());
            observer.onCompleted();
        }

        @Override
        public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> observer) {
            ImageStatusResponse.Builder response = ImageStatusResponse.newBuilder();
            if (!pulled.isEmpty()) {
                response.setImage(Image.newBuilder().setId(ID).addRepoTags(pulled.getFirst()))
                        .putInfo("info", "{\"imageSpec\":{\"rootfs\":{\"diff_ids\":[\"" + LAYER + "\"]}}}");
            }
            observer.onNext(response.build());
            observer.onCompleted();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void runtimeWithoutThePullStreamIsPulledThroughCriWithAPlainNote(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("cri.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loop)
                .workerEventLoopGroup(loop)
                .addService(new CriOnly())
                .build()
                .start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        try (Cri cri = Cri.connect(Endpoint.resolve("unix://" + socket))) {
            ImageInfo info = new Puller(cri, out, new PlainProgress(out)).pull("registry.test/team/app:1");
            assertThat(info.image().getId()).isEqualTo(ID);
        }

        assertThat(pulled).containsExactly("registry.test/team/app:1");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "1: Pulling from registry.test/team/app",
                        "The runtime shows no pull progress (it has no berth.v1 pull service); pulling through CRI",
                        "dddddddddddd: Pull complete",
                        "Status: Downloaded newer image for registry.test/team/app:1");
    }
}
