package dev.berth.build.layer;

import dev.berth.image.Digest;
import dev.berth.sys.Sha256;
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

/**
 * Turns the upper directory of a build step into an uncompressed OCI layer in one pass: the tar is hashed and
 * counted on its way into the sink's file, its digest both the blob's and the diff ID. Kept uncompressed, as
 * buildah's and docker's local stores keep layers: gzip cost ~35 ms of CPU a MiB of incompressible files here, on
 * every step of every build, for bytes only a push needs; a push compresses ({@link LayerGzip}). With a
 * {@code SOURCE_DATE_EPOCH} no mtime is later than it, so the same tree always gives the same bytes. Safe for
 * concurrent writes of different directories.
 */
public final class LayerWriter {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final Syscalls sys;
    private final LayerSink sink;

    public LayerWriter(Syscalls sys, LayerSink sink) {
        this.sys = sys;
        this.sink = sink;
    }

    /** {@code sourceDateEpoch}: seconds since the epoch that clamp every mtime, empty to keep them. */
    public LayerBlob write(Path upperDir, OptionalLong sourceDateEpoch) throws IOException {
        Path file = sink.newFile();
        boolean published = false;
        try {
            MessageDigest tarHash = Sha256.newDigest();
            CountingStream counted;
            try (OutputStream fileOut = Files.newOutputStream(file)) {
                counted = new CountingStream(fileOut);
                OutputStream tarOut = new BufferedOutputStream(new DigestOutputStream(counted, tarHash), BUFFER_SIZE);
                TarWriter tar = new TarWriter(tarOut);
                new UpperDirArchiver(sys, tar, sourceDateEpoch).archive(upperDir);
                tar.finish();
                tarOut.close();
            }
            Digest digest = digest(tarHash);
            LayerBlob blob = new LayerBlob(digest, digest, counted.count);
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
