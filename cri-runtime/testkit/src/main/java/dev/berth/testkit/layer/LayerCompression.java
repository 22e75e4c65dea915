package dev.berth.testkit.layer;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Compresses a layer tar as registries serve it. */
public final class LayerCompression {

    private LayerCompression() {}

    public static byte[] gzip(byte[] tar) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tar.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            gzip.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] zstd(byte[] tar) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(tar.length / 2 + 64);
        try (ZstdOutputStream zstd = new ZstdOutputStream(out, 3)) {
            zstd.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
