package dev.berth.operator.ociimage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.MediaTypes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one image into an OCI image layout directory (image-spec's image-layout.md): {@code oci-layout},
 * content-addressed {@code blobs/sha256/}, and {@code index.json} naming the manifest by its tag in
 * {@code org.opencontainers.image.ref.name}, which is what {@code skopeo copy oci:DIR:TAG} looks up.
 */
final class OciLayoutWriter {
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    /** Keys sorted: the same image always serializes to the same bytes, and so to the same digest. */
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Path dir;
    private final Path blobs;

    private OciLayoutWriter(Path dir) {
        this.dir = dir;
        this.blobs = dir.resolve("blobs/sha256");
    }

    /** A fresh layout at {@code dir}; an earlier layout there is replaced, any other non-empty directory refused. */
    static OciLayoutWriter create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> children = Files.list(dir)) {
                empty = children.findAny().isEmpty();
            }
            if (!empty && !Files.isRegularFile(dir.resolve("oci-layout"))) {
                throw new IOException(dir + " is neither empty nor an OCI image layout: not replacing it");
            }
            Trees.delete(dir);
        }
        OciLayoutWriter writer = new OciLayoutWriter(dir);
        Files.createDirectories(writer.blobs);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return writer;
    }

    /** A layer blob, gzip-compressed, and its diff ID (the digest of the uncompressed tar) for the config. */
    LayerBlob addLayer(LayerBuilder layer) throws IOException {
        Path temp = Files.createTempFile(blobs, ".layer-", ".tmp");
        MessageDigest compressed = Digest.sha256Digest();
        MessageDigest uncompressed = Digest.sha256Digest();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
                DigestOutputStream compressedOut = new DigestOutputStream(file, compressed);
                GZIPOutputStream gzip = new GZIPOutputStream(compressedOut, 1 << 16);
                DigestOutputStream tar = new DigestOutputStream(gzip, uncompressed)) {
            layer.writeTar(tar);
        }
        Digest digest = Digest.sha256OfHex(HexFormat.of().formatHex(compressed.digest()));
        long size = Files.size(temp);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(temp, blob(digest), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new LayerBlob(
                new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, size, null, null),
                Digest.sha256OfHex(HexFormat.of().formatHex(uncompressed.digest())),
                layer.description());
    }

    /** A JSON blob (config or manifest), serialized compactly. */
    Descriptor addJson(String mediaType, Map<String, Object> document) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(document);
        Digest digest = Digest.sha256(bytes);
        Files.write(blob(digest), bytes);
        return new Descriptor(mediaType, digest, bytes.length, null, null);
    }

    /** The index, written last: until it exists the layout names no image. */
    void writeIndex(Descriptor manifest, String tag) throws IOException {
        Map<String, Object> entry = descriptor(manifest);
        entry.put("annotations", Map.of(REF_NAME, tag));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", List.of(entry));
        Files.write(dir.resolve("index.json"), JSON.writeValueAsString(index).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> descriptor(Descriptor descriptor) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mediaType", descriptor.mediaType());
        json.put("digest", descriptor.digest().toString());
        json.put("size", descriptor.size());
        return json;
    }

    private Path blob(Digest digest) {
        return blobs.resolve(digest.encoded());
    }

    /** A layer as the manifest (descriptor) and the config (diff ID, history) name it. */
    record LayerBlob(Descriptor descriptor, Digest diffId, String description) {}
}
