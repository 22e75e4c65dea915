package dev.berth.build.layer;

import dev.berth.image.Digest;
import dev.berth.sys.Syscalls;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.zip.Deflater;

/**
 * Turns the upper directory of a build step into a gzip-compressed OCI layer in one pass: the tar is hashed
 * (diff ID) on its way into gzip, the gzip bytes are hashed (blob digest) and counted on their way into the
 * sink's file. With a {@code SOURCE_DATE_EPOCH} no mtime is later than it, so the same tree always gives the
 * same bytes. Safe for concurrent writes of different directories.
 */
public final class LayerWriter {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final Syscalls sys;
    private final LayerSink sink;
    private final int level;
    private final Executor compressors;

    /** Compresses on the writing thread. */
    public LayerWriter(Syscalls sys, LayerSink sink) {
        this(sys, sink, Deflater.DEFAULT_COMPRESSION, Runnable::run);
    }

    /**
     * {@code compressors} run the gzip blocks (CPU bound: a pool of platform threads, about one per core);
     * {@code level} is a {@link Deflater} level. The bytes do not depend on the pool's size.
     */
    public LayerWriter(Syscalls sys, LayerSink sink, int level, Executor compressors) {
        this.sys = sys;
        this.sink = sink;
        this.level = level;
        this.compressors = compressors;
    }

    /** {@code sourceDateEpoch}: seconds since the epoch that clamp every mtime, empty to keep them. */
    public LayerBlob write(Path upperDir, OptionalLong sourceDateEpoch) throws IOException {
        Path file = sink.newFile();
        boolean published = false;
        try {
            MessageDigest tarHash = Digest.sha256Digest();
            MessageDigest blobHash = Digest.sha256Digest();
            CountingStream counted;
            try (OutputStream fileOut = Files.newOutputStream(file)) {
                counted = new CountingStream(new BufferedOutputStream(fileOut, BUFFER_SIZE));
                ParallelGzipOutputStream gzip =
                        new ParallelGzipOutputStream(new DigestOutputStream(counted, blobHash), level, compressors);
                OutputStream tarOut = new BufferedOutputStream(new DigestOutputStream(gzip, tarHash), BUFFER_SIZE);
                TarWriter tar = new TarWriter(tarOut);
                new UpperDirArchiver(sys, tar, sourceDateEpoch).archive(upperDir);
                tar.finish();
                tarOut.close();
            }
            LayerBlob blob = new LayerBlob(digest(tarHash), digest(blobHash), counted.count);
            sink.publish(file, blob.digest(), blob.size());
            published = true;
            return blob;
        } finally {
            if (!published) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static Digest digest(MessageDigest hash) {
        return Digest.sha256OfHex(HexFormat.of().formatHex(hash.digest()));
    }

    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
