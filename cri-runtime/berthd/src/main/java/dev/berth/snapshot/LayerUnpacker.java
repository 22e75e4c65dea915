package dev.berth.snapshot;

import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;

/**
 * Unpacks one uncompressed layer tar into a fresh, empty snapshot directory that becomes an overlayfs
 * lower directory, with containerd's semantics ({@code archive.Apply} with the overlay converter):
 * whiteouts become 0:0 character devices, opaque markers {@code trusted.overlay.opaque=y}, and owners,
 * modes (setuid included), nanosecond times and xattrs are kept. Entries that would write outside the
 * directory or through a symlink are refused with {@link LayerRejectedException}.
 *
 * <p>The stream is read on a thread of its own a megabyte ahead of the writes, so decompression and
 * file-system calls overlap. After a successful unpack it has been read to its end (a digest over it
 * has seen every byte); it is never closed here. Safe for concurrent unpacks into different
 * directories.
 */
public final class LayerUnpacker {

    private static final int BUFFER_SIZE = 256 * 1024;
    /** Chunks of BUFFER_SIZE read ahead of the unpacker: decompression runs while files are written. */
    private static final int READ_AHEAD_CHUNKS = 4;

    private final Syscalls sys;

    public LayerUnpacker(Syscalls sys) {
        this.sys = sys;
    }

    public UnpackStats unpack(InputStream uncompressedTar, Path targetDir) throws IOException {
        return unpack(uncompressedTar, targetDir, null);
    }

    /** As {@link #unpack(InputStream, Path)}, telling {@code written} (if not null) of each regular file made. */
    public UnpackStats unpack(InputStream uncompressedTar, Path targetDir, WrittenFiles written) throws IOException {
        ReadAhead stream = ReadAhead.start(uncompressedTar, BUFFER_SIZE, READ_AHEAD_CHUNKS);
        boolean finished = false;
        try {
            TarReader reader = new TarReader(stream, BUFFER_SIZE);
            TargetTree tree = new TargetTree(targetDir, sys, written);
            EntryApplier applier = new EntryApplier(tree, reader, sys, new CreationModes(sys.umask()), written);
            TarEntry entry = new TarEntry();
            long entries = 0;
            while (reader.next(entry)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException(
                            "unpacking into " + targetDir + " interrupted at byte " + reader.offset());
                }
                if (applier.apply(entry)) {
                    entries++;
                }
            }
            tree.applyDirectoryTimes();
            stream.finish();
            finished = true;
            return new UnpackStats(entries, applier.bytesWritten());
        } finally {
            if (!finished) {
                stream.abandon();
            }
        }
    }
}
