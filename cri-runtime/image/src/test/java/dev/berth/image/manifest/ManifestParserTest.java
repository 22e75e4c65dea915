package dev.berth.image.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private final ManifestParser parser = new ManifestParser();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesDockerSchema2Manifest() throws Exception {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7,"digest":"%s"},
                 "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":100,"digest":"%s"}]}
                """.formatted(D1, D2);

        ImageManifest manifest = (ImageManifest) parser.parse(bytes(json), "text/plain");

        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_V2);
        assertThat(manifest.config().digest().toString()).isEqualTo(D1);
        assertThat(manifest.layers())
                .singleElement()
                .satisfies(l -> assertThat(l.size()).isEqualTo(100));
        assertThat(manifest.totalSize()).isEqualTo(107);
    }

    @Test
    void parsesOciIndexWithPlatformsUsingTheHeaderWhenTheBodyHasNoMediaType() throws Exception {
        String json = """
                {"schemaVersion":2,"manifests":[
                  {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":5,"digest":"%s",
                   "platform":{"os":"linux","architecture":"arm","variant":"v7"}}]}
                """.formatted(D1);

        ImageIndex index = (ImageIndex) parser.parse(bytes(json), MediaTypes.OCI_INDEX + "; charset=utf-8");

        assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.manifests().getFirst().platform()).isEqualTo(new Platform("linux", "arm", "v7"));
    }

    @Test
    void rejectsSchema1WithAClearMessage() {
        String json = """
                {"schemaVersion":1,"name":"x","tag":"latest","fsLayers":[],"history":[]}
                """;

        assertThatThrownBy(() -> parser.parse(bytes(json), MediaTypes.DOCKER_MANIFEST_V1_SIGNED))
                .isInstanceOf(UnsupportedManifestException.class)
                .hasMessageContaining("schema 1");
    }

    @Test
    void imageConfigCarriesRuntimeDefaultsAndDiffIds() {
        String json = """
                {"architecture":"amd64","os":"linux","config":{"User":"1000:1000","Env":["PATH=/bin"],
                 "Entrypoint":["/bin/sh","-c"],"Cmd":["echo hi"],"WorkingDir":"/srv","ExposedPorts":{"80/tcp":{}},
                 "Labels":{"a":"b"},"StopSignal":"SIGQUIT"},
                 "rootfs":{"type":"layers","diff_ids":["%s","%s"]}}
                """.formatted(D1, D2);

        ImageConfig config = ImageConfig.parse(bytes(json));

        assertThat(config.config().user()).isEqualTo("1000:1000");
        assertThat(config.config().entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(config.config().exposedPorts()).containsExactly("80/tcp");
        assertThat(config.config().stopSignal()).isEqualTo("SIGQUIT");
        assertThat(config.diffIds()).extracting(Object::toString).containsExactly(D1, D2);
    }

    @Test
    void configWithoutDiffIdsIsRejected() {
        assertThatThrownBy(() -> ImageConfig.parse(bytes("{\"config\":{}}"))).hasMessageContaining("diff_ids");
    }
}
