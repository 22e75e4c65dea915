package dev.berth.build.layer;

import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.imagestore.PushCompression;
import dev.berth.sys.Sha256;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Executor;

/**
 * A push's gzip of a layer berthd stored as plain tar, into a file of the content store's ingest area (swept at
 * start-up if berthd dies meanwhile). Blocks compress on {@code compressors}; the bytes depend only on the tar and
 * the level, so a layer always pushes under the same digest.
 */
public final class LayerGzip implements PushCompression {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final ContentStore content;
    private final int level;
    private final Executor compressors;

    /** {@code level} is a {@link java.util.zip.Deflater} level; {@code compressors} a pool of about one per core. */
    public LayerGzip(ContentStore content, int level, Executor compressors) {
        this.content = content;
        this.level = level;
        this.compressors = compressors;
    }

    @Override
    public Compressed gzip(Path tar) throws IOException {
        Path file = content.newIngestFile();
        try {
            MessageDigest hash = Sha256.newDigest();
            try (OutputStream out = new ParallelGzipOutputStream(
                    new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER_SIZE), hash),
                    level,
                    compressors)) {
                Files.copy(tar, out);
            }
            return new Compressed(file, Digest.sha256OfHex(HexFormat.of().formatHex(hash.digest())), Files.size(file));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
