package dev.berth.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.v1.HistoryEntry;
import dev.berth.api.v1.HistoryRequest;
import dev.berth.api.v1.HistoryResponse;
import dev.berth.api.v1.ImagesGrpc;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.testing.DaemonFixture;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestLayer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** berth.v1 History: the rows of an image config's history, against an image pulled from a real registry. */
class HistoryIntegrationTest {

    private static RegistryFixture registry;
    private static DaemonFixture daemon;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot();
        Privileges.require(
                RegistryFixture.available(), "docker-registry is not installed (apt-get install docker-registry)");
        registry = RegistryFixture.start();
        daemon = DaemonFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static ImagesGrpc.ImagesBlockingStub berth() {
        return ImagesGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Test
    void historyRowsFollowTheConfigNewestFirstWithEachLayersSize() throws Exception {
        ImagePusher pusher = new ImagePusher(registry);
        TestLayer base =
                TestLayer.of(LayerTar.create().file("base.txt", "base", 0644).build(), TestLayer.Compression.GZIP);
        TestLayer app = TestLayer.of(
                LayerTar.create().file("app.txt", "application", 0644).build(), TestLayer.Compression.GZIP);
        String config = """
                {"architecture":"amd64","os":"linux","config":{},
                 "rootfs":{"type":"layers","diff_ids":["%s","%s"]},
                 "history":[
                  {"created":"2026-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:base in /"},
                  {"created":"2026-01-02T03:04:06.5Z","created_by":"/bin/sh -c #(nop) ENV A=1","empty_layer":true,
                   "comment":"set by hand"},
                  {"created":"2026-01-03T00:00:00Z","created_by":"RUN make install","comment":"buildkit.dockerfile.v0"}
                 ]}""".formatted(base.diffId(), app.diffId());
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configDigest = pusher.pushBlob("hist/app", configBytes);
        pusher.pushBlob("hist/app", base.blob());
        pusher.pushBlob("hist/app", app.blob());
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},
                 "layers":[
                  {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d},
                  {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}""".formatted(
                        ImagePusher.OCI_MANIFEST,
                        configDigest,
                        configBytes.length,
                        base.digest(),
                        base.blob().length,
                        app.digest(),
                        app.blob().length);
        pusher.pushRawManifest("hist/app", "1", ImagePusher.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        String id = daemon.images()
                .pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(registry.reference("hist/app:1")))
                        .build())
                .getImageRef();

        HistoryResponse history = berth().history(HistoryRequest.newBuilder()
                .setImage(registry.reference("hist/app:1"))
                .build());

        assertThat(history.getImageId()).isEqualTo(id);
        assertThat(history.getEntriesList())
                .extracting(HistoryEntry::getCreatedBy)
                .containsExactly(
                        "RUN make install", "/bin/sh -c #(nop) ENV A=1", "/bin/sh -c #(nop) ADD file:base in /");
        HistoryEntry newest = history.getEntries(0);
        assertThat(newest.getSize()).isEqualTo(app.blob().length);
        assertThat(newest.getLayerDigest()).isEqualTo(app.digest());
        assertThat(newest.getComment()).isEqualTo("buildkit.dockerfile.v0");
        assertThat(newest.getCreated()).isEqualTo(nanos("2026-01-03T00:00:00Z"));
        HistoryEntry env = history.getEntries(1);
        assertThat(env.getEmptyLayer()).isTrue();
        assertThat(env.getSize()).isZero();
        assertThat(env.getLayerDigest()).isEmpty();
        assertThat(env.getComment()).isEqualTo("set by hand");
        assertThat(env.getCreated()).isEqualTo(nanos("2026-01-02T03:04:06.5Z"));
        assertThat(history.getEntries(2).getSize()).isEqualTo(base.blob().length);
        assertThat(history.getEntries(2).getLayerDigest()).isEqualTo(base.digest());
    }

    @Test
    void historyOfAnUnknownImageIsNotFound() {
        assertThatThrownBy(() -> berth().history(HistoryRequest.newBuilder()
                        .setImage("nowhere/none:1")
                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> berth().history(HistoryRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    private static long nanos(String instant) {
        Instant parsed = Instant.parse(instant);
        return parsed.getEpochSecond() * 1_000_000_000L + parsed.getNano();
    }
}
