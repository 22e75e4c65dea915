package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.v1.BuildEvent;
import dev.berth.api.v1.BuildOptions;
import dev.berth.build.run.BuildSandboxes;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.testing.BuildClient;
import dev.berth.testing.DaemonFixture;
import dev.berth.testing.HostCgroups;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.layer.LayerTar;
import dev.berth.testkit.registry.Processes;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * berth.v1 Build end to end on a real berthd: RUNs in runc on overlays of the stage's layers, COPY from the
 * context and from stages, the cache, reproducible digests, failures and cancellation leaving nothing behind, and
 * the result run by CreateContainer at once.
 */
class BuildIntegrationTest {

    @RegisterExtension
    static final PodTestBedExtension bed =
            new PodTestBedExtension("berthbuild").thenCheck(BuildIntegrationTest::assertNoBuildLeft);

    private final DaemonFixture daemon = bed.daemon();
    private final PodClient pods = bed.pods();
    private final BuildClient builds = new BuildClient(daemon.channel());

    @Test
    void multiStageBuildCopiesFromTheBuilderAndItsResultRunsWithUserWorkdirAndEnv() throws Exception {
        String base = bed.pushAndPull("build/base", BusyboxImage.fromHost().image());
        String dockerfile = """
                FROM %s AS builder
                RUN mkdir /out && echo built > /out/artifact
                FROM %s
                COPY --from=builder /out/artifact /app/artifact
                ENV GREETING=hello
                WORKDIR /app
                USER app
                RUN test "$(pwd)" = /app && test "$(id -u)" = 1000 && echo "$GREETING from $(pwd)"
                CMD ["sleep", "3600"]
                """.formatted(base, bed.busybox());
        BuildClient.Outcome outcome = build(options(dockerfile).addTags("demo/multi:1"), context());

        assertThat(outcome.error()).as(outcome.output()).isNull();
        assertThat(outcome.output()).contains("hello from /app");
        assertThat(outcome.result().getTagsList()).containsExactly("docker.io/demo/multi:1");

        PodSandboxConfig pod = pods.pod("built").build();
        String container = pods.createAndStart(
                pods.run(pod), pod, pods.container("app", "demo/multi:1").build());
        assertThat(pods.execSync(container, "sh", "-c", "cat artifact; echo $GREETING; pwd; id -u"))
                .isEqualTo("built\nhello\n/app\n1000\n");
    }

    @Test
    void runThatRemovesLowerFilesWritesWhiteoutsAndOpaqueDirectories() throws Exception {
        String dockerfile = """
                FROM %s
                RUN mkdir -p /data/dir && echo a > /data/dir/a && echo keep > /data/keep && echo gone > /data/gone
                RUN rm /data/gone /bin/vi && rm -r /data/dir && mkdir /data/dir && echo b > /data/dir/b
                CMD ["sleep", "3600"]
                """.formatted(bed.busybox());
        BuildClient.Outcome outcome = build(options(dockerfile).addTags("demo/whiteouts:1"), context());
        assertThat(outcome.error()).as(outcome.output()).isNull();

        List<String> lastLayer = entries(lastLayerDigest(outcome));
        assertThat(lastLayer).contains("data/.wh.gone", "bin/.wh.vi", "data/dir/.wh..wh..opq", "data/dir/b");
        assertThat(lastLayer).doesNotContain("data/keep", "data/dir/a");

        PodSandboxConfig pod = pods.pod("whiteouts").build();
        String container = pods.createAndStart(
                pods.run(pod), pod, pods.container("app", "demo/whiteouts:1").build());
        assertThat(pods.execSync(container, "sh", "-c", "ls /data /data/dir; test -e /bin/vi || echo no-vi"))
                .isEqualTo("/data:\ndir\nkeep\n\n/data/dir:\nb\nno-vi\n");
    }

    @Test
    void changingOneContextFileRebuildsOnlyTheStepsFromItsCopyOn() throws Exception {
        String dockerfile = """
                FROM %s
                COPY a.txt /a.txt
                RUN cat /a.txt > /a.copy
                COPY b.txt /b.txt
                RUN cat /b.txt > /b.copy
                """.formatted(bed.busybox());
        byte[] first = LayerTar.create()
                .file("a.txt", "a\n", 0644)
                .file("b.txt", "b\n", 0644)
                .build();
        byte[] changed = LayerTar.create()
                .file("a.txt", "a\n", 0644)
                .file("b.txt", "B\n", 0644)
                .build();

        BuildClient.Outcome cold = build(options(dockerfile).addTags("demo/cache:1"), first);
        BuildClient.Outcome warm = build(options(dockerfile).addTags("demo/cache:1"), first);
        BuildClient.Outcome partly = build(options(dockerfile).addTags("demo/cache:1"), changed);
        BuildClient.Outcome noCache = build(options(dockerfile).setNoCache(true).addTags("demo/cache:1"), changed);

        assertThat(cold.cachedSteps()).isEmpty();
        assertThat(warm.cachedSteps()).hasSize(4);
        assertThat(warm.result().getImageId()).isEqualTo(cold.result().getImageId());
        assertThat(partly.cachedSteps()).containsExactly("COPY a.txt /a.txt", "RUN cat /a.txt > /a.copy");
        assertThat(partly.builtSteps()).containsExactly("COPY b.txt /b.txt", "RUN cat /b.txt > /b.copy");
        assertThat(noCache.cachedSteps()).isEmpty();
    }

    @Test
    void failingRunReportsItsExitCodeAndOutputAndLeavesNothing() throws Exception {
        String dockerfile = """
                FROM %s
                RUN echo "about to fail" && exit 3
                """.formatted(bed.busybox());
        BuildClient.Outcome outcome = build(options(dockerfile).addTags("demo/fails:1"), context());

        assertThat(outcome.error().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(outcome.error().getDescription()).contains("about to fail").endsWith("exit code: 3");
        assertThat(outcome.events().stream()
                        .filter(BuildEvent::hasFailed)
                        .map(e -> e.getFailed().getExitCode()))
                .containsExactly(3);
    }

    @Test
    void sourceDateEpochGivesTheSameDigestsTwice() throws Exception {
        String dockerfile = """
                FROM %s
                COPY a.txt /a.txt
                RUN echo made > /made
                """.formatted(bed.busybox());
        byte[] context = LayerTar.create().file("a.txt", "a\n", 0644).build();
        BuildOptions.Builder options = options(dockerfile)
                .setNoCache(true)
                .setHasSourceDateEpoch(true)
                .setSourceDateEpoch(1_700_000_000L)
                .addTags("demo/repro:1");
        BuildClient.Outcome first = build(options, context);
        BuildClient.Outcome second = build(options, context);

        assertThat(first.error()).as(first.output()).isNull();
        assertThat(second.result().getImageId()).isEqualTo(first.result().getImageId());
        assertThat(second.result().getManifestDigest()).isEqualTo(first.result().getManifestDigest());
    }

    @Test
    void cancelledBuildStopsItsRunAndLeavesNothing() throws Exception {
        String dockerfile = """
                FROM %s
                RUN echo sleeping && sleep 300
                """.formatted(bed.busybox());
        BuildClient.Outcome outcome = builds.build(
                options(dockerfile).addTags("demo/cancel:1").build(),
                context(),
                event -> event.hasOutput()
                        && event.getOutput().getData().toStringUtf8().contains("sleeping"));
        assertThat(outcome.error().getCode()).isEqualTo(Status.Code.CANCELLED);
        awaitBuildsGone();
    }

    @Test
    void runsGetTheBuildsOwnPodNetworkOrOnlyAnUpLoopback() throws Exception {
        String dockerfile = """
                FROM %s
                RUN ip -o -4 addr show; ip -o link show
                """.formatted(bed.busybox());
        BuildClient.Outcome pod = build(
                options(dockerfile).setNoCache(true).setNetwork(dev.berth.api.v1.NetworkMode.NETWORK_DEFAULT),
                context());
        BuildClient.Outcome none = build(options(dockerfile).setNoCache(true), context());

        assertThat(pod.error()).as(pod.output()).isNull();
        assertThat(pod.output())
                .contains("eth0")
                .contains("inet " + daemon.network().prefix());
        assertThat(none.error()).as(none.output()).isNull();
        assertThat(none.output()).contains("lo: <LOOPBACK,UP").doesNotContain("eth0");
    }

    @Test
    void runsWithTheHostNetworkSeeTheNodesOwnLinks() throws Exception {
        String link = "bhost" + ProcessHandle.current().pid() % 100_000;
        Processes.run(List.of("ip", "link", "add", link, "type", "veth", "peer", "name", link + "p"), 10);
        try {
            String dockerfile = """
                    FROM %s
                    RUN ip -o link show
                    """.formatted(bed.busybox());
            BuildClient.Outcome host = build(
                    options(dockerfile).setNoCache(true).setNetwork(dev.berth.api.v1.NetworkMode.NETWORK_HOST),
                    context());

            assertThat(host.error()).as(host.output()).isNull();
            assertThat(host.output()).contains(": " + link + "@");
        } finally {
            Processes.run(List.of("ip", "link", "del", link), 10);
        }
    }

    @Test
    void runsLiveInTheBuildsCgroupUnderItsMemoryLimit() throws Exception {
        String dockerfile = """
                FROM %s
                RUN cat /proc/self/cgroup; cat /sys/fs/cgroup/memory/memory.stat 2>/dev/null || cat /sys/fs/cgroup/memory.max
                """.formatted(bed.busybox());
        BuildClient.Outcome outcome =
                build(options(dockerfile).setNoCache(true).setMemoryLimitBytes(64L << 20), context());

        assertThat(outcome.error()).as(outcome.output()).isNull();
        assertThat(outcome.output()).contains(BuildSandboxes.CGROUP_PARENT + "/build-");
        if (!HostCgroups.detect().unified()) {
            assertThat(outcome.output()).contains("hierarchical_memory_limit " + (64L << 20));
        }
    }

    @Test
    void cacheEntriesLastAsLongAsAnImageBuiltWithThem() throws Exception {
        String dockerfile = """
                FROM %s
                RUN echo cached-step > /step
                """.formatted(bed.busybox());
        build(options(dockerfile).addTags("demo/gc-a:1"), context());
        BuildClient.Outcome second =
                build(options(dockerfile).putLabels("second", "yes").addTags("demo/gc-b:1"), context());
        assertThat(second.cachedSteps()).containsExactly("RUN echo cached-step > /step");

        removeImage("demo/gc-a:1");
        assertThat(build(options(dockerfile).addTags("demo/gc-c:1"), context()).cachedSteps())
                .as("gc-b and gc-c still use the step")
                .hasSize(1);
        removeImage("demo/gc-b:1");
        removeImage("demo/gc-c:1");
        Path layer = daemon.root()
                .resolve("content/blobs/sha256")
                .resolve(lastLayerDigest(second).substring(7));
        assertThat(layer).doesNotExist();
        assertThat(build(options(dockerfile).addTags("demo/gc-d:1"), context()).cachedSteps())
                .isEmpty();
        removeImage("demo/gc-d:1");
    }

    private void removeImage(String image) {
        daemon.images()
                .removeImage(dev.berth.cri.v1.RemoveImageRequest.newBuilder()
                        .setImage(dev.berth.cri.v1.ImageSpec.newBuilder().setImage(image))
                        .build());
    }

    private BuildClient.Outcome build(BuildOptions.Builder options, byte[] context) throws Exception {
        return builds.build(options.build(), context);
    }

    private static BuildOptions.Builder options(String dockerfile) {
        return BuildOptions.newBuilder()
                .setDockerfile(dockerfile)
                .setNetwork(dev.berth.api.v1.NetworkMode.NETWORK_NONE);
    }

    private static byte[] context() {
        return LayerTar.create().file("README", "context\n", 0644).build();
    }

    private static String lastLayerDigest(BuildClient.Outcome outcome) {
        String digest = null;
        for (BuildEvent event : outcome.events()) {
            if (event.hasFinished() && !event.getFinished().getLayerDigest().isEmpty()) {
                digest = event.getFinished().getLayerDigest();
            }
        }
        return digest;
    }

    private List<String> entries(String digest) throws IOException {
        Path blob = daemon.root().resolve("content/blobs/sha256").resolve(digest.substring("sha256:".length()));
        List<String> names = new ArrayList<>();
        try (InputStream in = new TarArchiveInputStream(new ByteArrayInputStream(Files.readAllBytes(blob)))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName().replaceAll("/$", ""));
            }
        }
        return names;
    }

    private void awaitBuildsGone() throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        Path buildsDir = daemon.root().resolve("builds");
        while (System.nanoTime() < deadline) {
            if (!Files.isDirectory(buildsDir) || isEmpty(buildsDir)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(buildsDir).isEmptyDirectory();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** No build dir, no build cgroup: whatever a build made has gone with it. */
    private static void assertNoBuildLeft() throws Exception {
        Path buildsDir = bed.daemon().root().resolve("builds");
        if (Files.isDirectory(buildsDir)) {
            assertThat(buildsDir).isEmptyDirectory();
        }
        for (Path hierarchy : HostCgroups.detect().roots()) {
            Path parent = hierarchy.resolve(BuildSandboxes.CGROUP_PARENT.substring(1));
            if (Files.isDirectory(parent)) {
                try (Stream<Path> children = Files.list(parent)) {
                    assertThat(children.filter(Files::isDirectory).toList())
                            .as("build cgroups")
                            .isEmpty();
                }
            }
        }
    }
}
