package dev.berth.content;

import dev.berth.image.Digest;
import dev.berth.store.AtomicFiles;
import dev.berth.store.Directories;
import dev.berth.sys.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One blob being written from a stream. {@link #tee(InputStream)} hands back a stream whose reader
 * drives the download: every byte read is hashed and written to the ingest file, so a layer can be
 * unpacked while it is stored, without reading it back. {@link #commit()} publishes the blob only if
 * the digest and size match; {@link #close()} discards whatever was not committed.
 */
public final class BlobIngest implements AutoCloseable {

    private final Digest expected;
    private final long expectedSize;
    private final Path temp;
    private final OutputStream out;
    private final Path target;
    private final MessageDigest sha256;
    private long written;
    private boolean committed;

    BlobIngest(Digest expected, long expectedSize, Path temp, OutputStream out, Path target) {
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.temp = temp;
        this.out = out;
        this.target = target;
        this.sha256 = Sha256.newDigest();
    }

    public InputStream tee(InputStream source) {
        return new FilterInputStream(source) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    accept(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] sink = new byte[(int) Math.min(n, 65536)];
                int read = read(sink, 0, sink.length);
                return Math.max(read, 0);
            }
        };
    }

    private void accept(byte[] b, int off, int len) throws IOException {
        written += len;
        if (expectedSize >= 0 && written > expectedSize) {
            throw new IOException(
                    "blob " + expected + " is larger than the " + expectedSize + " bytes its descriptor declares");
        }
        sha256.update(b, off, len);
        out.write(b, off, len);
    }

    /** Checks size and digest of what was written so far, without publishing it. */
    public void verify() throws ContentDigestMismatchException {
        if (expectedSize >= 0 && written != expectedSize) {
            throw new ContentDigestMismatchException(
                    expected, "size " + written + " differs from the descriptor's " + expectedSize);
        }
        Digest actual =
                Digest.sha256OfHex(HexFormat.of().formatHex(cloneDigest().digest()));
        if (!actual.equals(expected)) {
            throw new ContentDigestMismatchException(expected, actual);
        }
    }

    private MessageDigest cloneDigest() {
        try {
            return (MessageDigest) sha256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    /** Verifies what was written and makes it visible under its digest. */
    public void commit() throws IOException, ContentDigestMismatchException {
        out.close();
        verify();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Directories.createPrivate(target.getParent());
        AtomicFiles.moveDurably(temp, target);
        committed = true;
    }

    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }
}
