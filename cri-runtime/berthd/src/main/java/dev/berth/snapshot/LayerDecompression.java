package dev.berth.snapshot;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a layer blob as its uncompressed tar. The bytes decide (gzip {@code 1f 8b}, zstd
 * {@code 28 b5 2f fd} or a zstd skippable frame, anything else is a plain tar), as in containerd;
 * the media type is only a hint that is logged when it disagrees.
 */
public final class LayerDecompression {

    private static final Logger log = LoggerFactory.getLogger(LayerDecompression.class);
    private static final int BUFFER = 64 * 1024;
    private static final int MAGIC_LENGTH = 10;

    private LayerDecompression() {}

    public static InputStream open(InputStream raw, String mediaType) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(MAGIC_LENGTH);
        byte[] magic = in.readNBytes(MAGIC_LENGTH);
        in.reset();
        Compression detected = Compression.of(magic);
        Compression hinted = Compression.ofMediaType(mediaType);
        if (hinted != null && hinted != detected) {
            log.debug(
                    "layer of media type {} is {} by its first bytes; unpacking it as {}",
                    mediaType,
                    detected,
                    detected);
        }
        return switch (detected) {
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStream(in, RecyclingBufferPool.INSTANCE);
            case NONE -> in;
            case BZIP2, XZ ->
                throw new UnsupportedLayerException("layer of media type " + mediaType + " is " + detected
                        + "-compressed, which OCI layers may not be (gzip, zstd or none)");
        };
    }

    private enum Compression {
        NONE,
        GZIP,
        ZSTD,
        BZIP2,
        XZ;

        static Compression of(byte[] m) {
            if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
                return GZIP;
            }
            if (m.length >= 4
                    && (m[0] & 0xff) == 0x28
                    && (m[1] & 0xff) == 0xb5
                    && (m[2] & 0xff) == 0x2f
                    && (m[3] & 0xff) == 0xfd) {
                return ZSTD;
            }
            // Skippable frames (magic 0x184D2A50..5F, little endian) may open a zstd stream.
            if (m.length >= 4
                    && (m[0] & 0xf0) == 0x50
                    && (m[1] & 0xff) == 0x2a
                    && (m[2] & 0xff) == 0x4d
                    && (m[3] & 0xff) == 0x18) {
                return ZSTD;
            }
            // "BZh", the block size digit, then the block magic (pi): a tar's first name could start with "BZh".
            if (m.length >= 10
                    && m[0] == 'B'
                    && m[1] == 'Z'
                    && m[2] == 'h'
                    && m[3] >= '1'
                    && m[3] <= '9'
                    && m[4] == 0x31
                    && m[5] == 0x41
                    && m[6] == 0x59
                    && m[7] == 0x26
                    && m[8] == 0x53
                    && m[9] == 0x59) {
                return BZIP2;
            }
            if (m.length >= 6
                    && (m[0] & 0xff) == 0xfd
                    && m[1] == '7'
                    && m[2] == 'z'
                    && m[3] == 'X'
                    && m[4] == 'Z'
                    && m[5] == 0) {
                return XZ;
            }
            return NONE;
        }

        static Compression ofMediaType(String mediaType) {
            if (mediaType == null) {
                return null;
            }
            if (mediaType.endsWith("gzip")) {
                return GZIP;
            }
            if (mediaType.endsWith("zstd")) {
                return ZSTD;
            }
            if (mediaType.endsWith(".tar") || mediaType.endsWith("tar.diff")) {
                return NONE;
            }
            return null;
        }
    }
}
