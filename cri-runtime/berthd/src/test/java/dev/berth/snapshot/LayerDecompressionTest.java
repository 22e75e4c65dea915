package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testkit.layer.LayerCompression;
import dev.berth.testkit.layer.LayerTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LayerDecompressionTest {

    private static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final String PLAIN = "application/vnd.oci.image.layer.v1.tar";

    private final byte[] tar = LayerTar.create()
            .file("a", "a".repeat(100_000), 0644)
            .file("b", "b", 0644)
            .build();

    @Test
    void openDecompressesGzipZstdAndPlainLayersThroughOneCall() throws IOException {
        assertThat(read(LayerCompression.gzip(tar), GZIP)).isEqualTo(tar);
        assertThat(read(LayerCompression.zstd(tar), ZSTD)).isEqualTo(tar);
        assertThat(read(tar, PLAIN)).isEqualTo(tar);
        assertThat(read(LayerCompression.gzip(tar), "application/vnd.docker.image.rootfs.diff.tar.gzip"))
                .isEqualTo(tar);
    }

    @Test
    void openGoesByTheBytesWhenTheMediaTypeSaysOtherwise() throws IOException {
        assertThat(read(LayerCompression.gzip(tar), ZSTD)).isEqualTo(tar);
        assertThat(read(LayerCompression.zstd(tar), GZIP)).isEqualTo(tar);
        assertThat(read(tar, GZIP)).isEqualTo(tar);
    }

    @Test
    void openReadsConcatenatedGzipMembersAndZstdFrames() throws IOException {
        byte[] first = "first half ".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second half".getBytes(StandardCharsets.UTF_8);

        assertThat(read(concat(LayerCompression.gzip(first), LayerCompression.gzip(second)), GZIP))
                .isEqualTo(concat(first, second));
        assertThat(read(concat(LayerCompression.zstd(first), LayerCompression.zstd(second)), ZSTD))
                .isEqualTo(concat(first, second));
    }

    @Test
    void openRefusesCompressionsThatOciLayersDoNotUse() {
        byte[] bzip2 = "BZh91AY&SY rest of a bzip2 stream".getBytes(StandardCharsets.US_ASCII);

        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4, (byte) 0xe6, (byte) 0xd6};

        assertThatThrownBy(() -> read(bzip2, "application/x-tar"))
                .isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("BZIP2");
        assertThatThrownBy(() -> read(xz, "application/vnd.oci.image.layer.v1.tar+xz"))
                .isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("XZ");
    }

    private static byte[] read(byte[] blob, String mediaType) throws IOException {
        try (InputStream in = LayerDecompression.open(new ByteArrayInputStream(blob), mediaType)) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
