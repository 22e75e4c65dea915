package dev.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageServiceGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RuntimeServiceGrpc;
import dev.berth.cri.v1.VersionRequest;
import dev.berth.store.Directories;
import dev.berth.testing.CountingProxy;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.cri.BerthdProcess;
import dev.berth.testkit.cri.CriChannel;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berthd as its own process, the way it runs on a node: signals, SIGKILL in the middle of a pull, restart. */
class DaemonProcessTest {

    private Path base;
    private Process berthd;

    @BeforeEach
    void setUp() throws Exception {
        Privileges.requireRoot();
        base = Files.createTempDirectory("berthd-process-");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (berthd != null && berthd.isAlive()) {
            berthd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Directories.deleteRecursively(base);
    }

    private Process startBerthd(Path config) throws Exception {
        return BerthdProcess.start(base, config).process();
    }

    private String log() {
        return BerthdProcess.log(base);
    }

    private long entries(String sub) throws Exception {
        Path dir = base.resolve("root").resolve(sub);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void sigtermStopsCleanlyAndRemovesTheSocket() throws Exception {
        Path config = Files.writeString(base.resolve("berth.yaml"), "");
        berthd = startBerthd(config);
        try (CriChannel channel = CriChannel.connect(base.resolve("state/berth.sock"))) {
            assertThat(RuntimeServiceGrpc.newBlockingStub(channel.channel())
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .version(VersionRequest.getDefaultInstance())
                            .getRuntimeName())
                    .isEqualTo("berth");
        }

        berthd.destroy();

        assertThat(berthd.waitFor(15, TimeUnit.SECONDS))
                .as("berthd stops on SIGTERM")
                .isTrue();
        assertThat(Files.exists(base.resolve("state/berth.sock"))).isFalse();
    }

    @Test
    void pullCutShortBySigkillLeavesNoHalfImageAfterRestart() throws Exception {
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        try (RegistryFixture registry = RegistryFixture.start();
                CountingProxy mirror = new CountingProxy(registry.baseUri())) {
            PushedImage pushed = new ImagePusher(registry)
                    .pushImage(
                            "crash/app",
                            "1",
                            TestImage.builder()
                                    .layer(TestLayer.random(6_000_000, 60, 7, TestLayer.Compression.GZIP))
                                    .layer(TestLayer.random(2_000_000, 20, 8, TestLayer.Compression.GZIP))
                                    .build());
            Path config =
                    Files.writeString(base.resolve("berth.yaml"), """
                    registries:
                      "%s":
                        mirrors: ["%s"]
                        mirrorsOnly: true
                    """.formatted(registry.hostPort(), mirror.uri()));
            mirror.slowBlobs(40);
            berthd = startBerthd(config);
            CriChannel channel = CriChannel.connect(base.resolve("state/berth.sock"));
            CompletableFuture<Void> pull =
                    CompletableFuture.runAsync(() -> ImageServiceGrpc.newBlockingStub(channel.channel())
                            .pullImage(PullImageRequest.newBuilder()
                                    .setImage(ImageSpec.newBuilder().setImage(pushed.reference()))
                                    .build()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (mirror.blobBytesServed() < 1_000_000 || entries("content/ingest") == 0) {
                assertThat(System.currentTimeMillis())
                        .as("pull did not start: %s", log())
                        .isLessThan(deadline);
                Thread.sleep(20);
            }

            berthd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThat(pull).failsWithin(10, TimeUnit.SECONDS);
            channel.close();
            assertThat(entries("content/ingest") + entries("snapshots"))
                    .as("half-done work left by the kill")
                    .isPositive();

            mirror.slowBlobs(0);
            Map<String, BerthConfig.Registry> registries = Map.of(
                    registry.hostPort(),
                    new BerthConfig.Registry(List.of(mirror.uri().toString()), true, null));
            DaemonFixture restarted = DaemonFixture.startIn(base, registries);
            try {
                assertThat(restarted
                                .images()
                                .listImages(ListImagesRequest.getDefaultInstance())
                                .getImagesList())
                        .isEmpty();
                assertThat(entries("content/ingest")).isZero();
                assertThat(entries("snapshots")).isZero();
                assertThat(entries("content/blobs/sha256")).isZero();

                String id = restarted
                        .images()
                        .pullImage(PullImageRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(pushed.reference()))
                                .build())
                        .getImageRef();
                assertThat(id).isEqualTo(pushed.configDigest());
                assertThat(entries("snapshots")).isEqualTo(2);
            } finally {
                restarted.close();
            }
        }
    }
}
