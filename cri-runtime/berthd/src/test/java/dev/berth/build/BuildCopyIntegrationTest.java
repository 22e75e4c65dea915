package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.v1.BuildOptions;
import dev.berth.api.v1.ImagesGrpc;
import dev.berth.api.v1.NetworkMode;
import dev.berth.api.v1.PushRequest;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PullImageRequest;
import dev.berth.cri.v1.RemoveImageRequest;
import dev.berth.testing.BuildClient;
import dev.berth.testing.PodClient;
import dev.berth.testing.PodTestBedExtension;
import dev.berth.testkit.layer.LayerTar;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * COPY and ADD through berth.v1 Build on a real berthd: Docker's path and wildcard rules, --chown and --chmod, ADD
 * of a local archive, and the refusals: a context that escapes its root, a missing source, a remote URL, a symlink
 * in the image that points out of it.
 */
class BuildCopyIntegrationTest {

    @RegisterExtension
    static final PodTestBedExtension bed = new PodTestBedExtension("berthbuildcopy");

    private final PodClient pods = bed.pods();
    private final BuildClient builds = new BuildClient(bed.daemon().channel());

    @Test
    void copyFollowsDockersPathWildcardOwnerAndModeRules() throws Exception {
        byte[] archive = gzip(LayerTar.create()
                .dir("pkg", 0755)
                .file("pkg/lib.txt", "lib\n", 0644)
                .build());
        byte[] context = LayerTar.create()
                .file("one.txt", "1\n", 0644)
                .file("two.txt", "2\n", 0644)
                .file("skip.md", "md\n", 0644)
                .dir("src", 0755)
                .file("src/main.c", "int main;\n", 0600)
                .file("bundle.tar.gz", archive, 0644)
                .build();
        String dockerfile = """
                FROM %s
                WORKDIR /work
                COPY *.txt texts/
                COPY src .
                COPY --chown=app:app --chmod=0640 one.txt /owned/one
                ADD bundle.tar.gz /unpacked/
                COPY <<EOF /notes/hello.txt
                hello from a heredoc
                EOF
                CMD ["sleep", "3600"]
                """.formatted(bed.busybox());
        BuildClient.Outcome outcome = build(options(dockerfile).addTags("demo/copy:1"), context);
        assertThat(outcome.error()).as(outcome.output()).isNull();

        String container = start("demo/copy:1");
        assertThat(pods.execSync(container, "sh", "-c", "ls /work /work/texts; cat /work/main.c"))
                .isEqualTo("/work:\nmain.c\ntexts\n\n/work/texts:\none.txt\ntwo.txt\nint main;\n");
        assertThat(pods.execSync(container, "stat", "-c", "%u:%g %a", "/owned/one", "/work/main.c"))
                .isEqualTo("1000:1000 640\n0:0 600\n");
        assertThat(pods.execSync(container, "cat", "/unpacked/pkg/lib.txt", "/notes/hello.txt"))
                .isEqualTo("lib\nhello from a heredoc\n");
    }

    @Test
    void aSymlinkInTheImageCannotLeadACopyOntoTheNode() throws Exception {
        String escape = "berth-escape-" + UUID.randomUUID();
        String dockerfile = """
                FROM %s
                RUN ln -s ../../../../../../../tmp/%s /out
                COPY a.txt /out/a.txt
                RUN cat /tmp/%s/a.txt
                """.formatted(bed.busybox(), escape, escape);
        BuildClient.Outcome outcome = build(
                options(dockerfile).addTags("demo/escape:1"),
                LayerTar.create().file("a.txt", "inside\n", 0644).build());

        assertThat(outcome.error()).as(outcome.output()).isNull();
        assertThat(outcome.output()).contains("inside");
        assertThat(Path.of("/tmp", escape)).doesNotExist();
    }

    @Test
    void aContextThatEscapesItsRootIsRefused() throws Exception {
        byte[] context = LayerTar.create()
                .symlink("link", "/etc")
                .file("link/evil", "x\n", 0644)
                .build();
        BuildClient.Outcome outcome = build(options("FROM scratch\nCOPY link /\n"), context);

        assertThat(outcome.error().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outcome.error().getDescription()).contains("context");
        assertThat(Path.of("/etc/evil")).doesNotExist();
    }

    @Test
    void aMissingSourceIsNotFoundAndARemoteAddIsRefused() throws Exception {
        BuildClient.Outcome missing = build(
                options("FROM %s\nCOPY nothing.txt /\n".formatted(bed.busybox())),
                LayerTar.create().build());
        BuildClient.Outcome remote = build(
                options("FROM %s\nADD https://example.com/x.tar /\n".formatted(bed.busybox())),
                LayerTar.create().build());

        assertThat(missing.error().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.error().getDescription()).contains("nothing.txt");
        assertThat(remote.error().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(remote.error().getDescription()).contains("remote URLs are not supported");
    }

    @Test
    void aBuiltImagePushesGzippedAndComesBackByPull() throws Exception {
        String registry = bed.busybox().substring(0, bed.busybox().indexOf('/'));
        String name = registry + "/demo/pushed:1";
        BuildClient.Outcome outcome = build(
                options("FROM %s\nCOPY a.txt /a.txt\nCMD [\"sleep\", \"3600\"]\n".formatted(bed.busybox()))
                        .addTags(name),
                LayerTar.create().file("a.txt", "pushed\n", 0644).build());
        assertThat(outcome.error()).as(outcome.output()).isNull();

        push(name);
        String manifest = manifest(registry, "demo/pushed", "1");
        push(name);

        // stored as plain tar, the layers go up gzipped, the same bytes at every push
        assertThat(manifest)
                .contains("\"application/vnd.oci.image.layer.v1.tar+gzip\"")
                .doesNotContain("\"application/vnd.oci.image.layer.v1.tar\"");
        assertThat(manifest(registry, "demo/pushed", "1")).isEqualTo(manifest);
        bed.daemon()
                .images()
                .removeImage(RemoveImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(name))
                        .build());
        String pulled = bed.daemon()
                .images()
                .pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(name))
                        .build())
                .getImageRef();

        assertThat(pulled).isEqualTo(outcome.result().getImageId());
        assertThat(pods.execSync(start(name), "cat", "/a.txt")).isEqualTo("pushed\n");
    }

    private void push(String name) {
        ImagesGrpc.newBlockingStub(bed.daemon().channel())
                .withDeadlineAfter(120, TimeUnit.SECONDS)
                .push(PushRequest.newBuilder().setImage(name).build())
                .forEachRemaining(progress -> {});
    }

    private static String manifest(String registry, String repository, String tag) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository + "/manifests/" + tag))
                            .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private String start(String image) {
        PodSandboxConfig pod = pods.pod("copy").build();
        return pods.createAndStart(
                pods.run(pod), pod, pods.container("app", image).build());
    }

    private BuildClient.Outcome build(BuildOptions.Builder options, byte[] context) throws Exception {
        return builds.build(options.build(), context);
    }

    private static BuildOptions.Builder options(String dockerfile) {
        return BuildOptions.newBuilder().setDockerfile(dockerfile).setNetwork(NetworkMode.NETWORK_NONE);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
