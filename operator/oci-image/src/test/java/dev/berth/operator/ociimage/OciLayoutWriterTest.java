package dev.berth.operator.ociimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.ImageManifest;
import dev.berth.image.manifest.ManifestParser;
import dev.berth.image.manifest.MediaTypes;
import dev.berth.operator.ociimage.OciLayoutWriter.LayerBlob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout as image-spec's image-layout.md defines it, read back as a registry client would. */
class OciLayoutWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void indexNamesTheTaggedManifestWhoseBlobsMatchTheirDigests() throws Exception {
        Path layout = tmp.resolve("layout");
        Descriptor manifest = writeImage(layout, "v1");

        assertThat(Files.readString(layout.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        JsonNode entry = index.get("manifests").get(0);
        assertThat(entry.get("digest").asText()).isEqualTo(manifest.digest().toString());
        assertThat(entry.get("annotations").get(OciLayoutWriter.REF_NAME).asText())
                .isEqualTo("v1");

        byte[] manifestBytes = blob(layout, manifest.digest());
        assertThat(manifestBytes).hasSize((int) manifest.size());
        ImageManifest parsed = (ImageManifest) new ManifestParser().parse(manifestBytes, MediaTypes.OCI_MANIFEST);
        for (Descriptor descriptor : parsed.layers()) {
            byte[] bytes = blob(layout, descriptor.digest());
            assertThat(Digest.sha256(bytes)).isEqualTo(descriptor.digest());
            assertThat(bytes).hasSize((int) descriptor.size());
        }
        JsonNode config = JSON.readTree(blob(layout, parsed.config().digest()));
        byte[] tar = new GZIPInputStream(new ByteArrayInputStream(
                        blob(layout, parsed.layers().getFirst().digest())))
                .readAllBytes();
        assertThat(config.get("rootfs").get("diff_ids").get(0).asText())
                .isEqualTo(Digest.sha256(tar).toString());
    }

    @Test
    void layerTarHasParentsFirstRootOwnershipModesLinksAndOneMtime() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("tree/bin"));
        Files.writeString(host.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(
                host.resolve("tool"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(tmp.resolve("tree/notes"), "n");
        Files.createSymbolicLink(tmp.resolve("tree/link"), Path.of("notes"));
        LayerBuilder layer = new LayerBuilder("test")
                .tree("/opt/tool", tmp.resolve("tree"))
                .file("/etc/motd", "hi\n".getBytes(StandardCharsets.UTF_8), 0644)
                .dir("/tmp", 01777);

        Map<String, TarArchiveEntry> entries = entries(layer);

        assertThat(entries.keySet())
                .containsExactly(
                        "etc/",
                        "etc/motd",
                        "opt/",
                        "opt/tool/",
                        "opt/tool/bin/",
                        "opt/tool/bin/tool",
                        "opt/tool/link",
                        "opt/tool/notes",
                        "tmp/");
        assertThat(entries.get("opt/tool/bin/tool").getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get("opt/tool/notes").getMode() & 07777).isEqualTo(0644);
        assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
        assertThat(entries.get("opt/tool/link").isSymbolicLink()).isTrue();
        assertThat(entries.get("opt/tool/link").getLinkName()).isEqualTo("notes");
        assertThat(entries.values()).allSatisfy(e -> {
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getLongGroupId()).isZero();
            assertThat(e.getModTime().toInstant()).isEqualTo(LayerBuilder.MTIME);
        });
    }

    @Test
    void sameContentGivesTheSameManifestDigest() throws Exception {
        assertThat(writeImage(tmp.resolve("a"), "v1").digest())
                .isEqualTo(writeImage(tmp.resolve("b"), "v1").digest());
    }

    @Test
    void refusesToReplaceADirectoryThatIsNoLayout() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(dir.resolve("thesis.txt"), "keep");

        assertThatThrownBy(() -> OciLayoutWriter.create(dir))
                .hasMessageContaining("neither empty nor an OCI image layout");
        assertThat(dir.resolve("thesis.txt")).exists();
    }

    @Test
    void replacesAnEarlierLayout() throws Exception {
        Path layout = tmp.resolve("layout");
        Descriptor first = writeImage(layout, "old");
        Descriptor second = writeImage(layout, "new");

        assertThat(Files.exists(
                        layout.resolve("blobs/sha256").resolve(first.digest().encoded())))
                .isEqualTo(first.digest().equals(second.digest()));
        assertThat(Files.readString(layout.resolve("index.json")))
                .contains("\"new\"")
                .doesNotContain("\"old\"");
    }

    private static Descriptor writeImage(Path layout, String tag) throws IOException {
        OciLayoutWriter writer = OciLayoutWriter.create(layout);
        LayerBlob layer = writer.addLayer(
                new LayerBuilder("motd").file("/etc/motd", ("tag " + tag).getBytes(StandardCharsets.UTF_8), 0644));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put(
                "rootfs",
                Map.of("type", "layers", "diff_ids", List.of(layer.diffId().toString())));
        Descriptor configBlob = writer.addJson(MediaTypes.OCI_CONFIG, config);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", OciLayoutWriter.descriptor(configBlob));
        manifest.put("layers", List.of(OciLayoutWriter.descriptor(layer.descriptor())));
        Descriptor manifestBlob = writer.addJson(MediaTypes.OCI_MANIFEST, manifest);
        writer.writeIndex(manifestBlob, tag);
        return manifestBlob;
    }

    private static byte[] blob(Path layout, Digest digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.encoded()));
    }

    private static Map<String, TarArchiveEntry> entries(LayerBuilder layer) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        layer.writeTar(out);
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }
}
