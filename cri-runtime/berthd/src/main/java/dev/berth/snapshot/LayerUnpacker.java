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
 * <p>The stream is read up to the end-of-archive marker and not closed; the caller drains and closes
 * it (its digest covers every byte). Safe for concurrent unpacks into different directories.
 */
public final class LayerUnpacker {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final Syscalls sys;

    public LayerUnpacker(Syscalls sys) {
        this.sys = sys;
    }

    public UnpackStats unpack(InputStream uncompressedTar, Path targetDir) throws IOException {
        TarReader reader = new TarReader(uncompressedTar, BUFFER_SIZE);
        TargetTree tree = new TargetTree(targetDir, sys);
        EntryApplier applier = new EntryApplier(tree, reader, sys);
        TarEntry entry = new TarEntry();
        long entries = 0;
        while (reader.next(entry)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("unpacking into " + targetDir + " interrupted at byte " + reader.offset());
            }
            if (applier.apply(entry)) {
                entries++;
            }
        }
        tree.applyDirectoryTimes();
        return new UnpackStats(entries, applier.bytesWritten());
    }
}
