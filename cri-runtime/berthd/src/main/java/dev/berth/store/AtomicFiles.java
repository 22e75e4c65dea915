package dev.berth.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Crash-safe file replacement: a reader sees the old file or the new one, never a torn one, even if
 * berthd is killed or the node loses power half-way.
 */
public final class AtomicFiles {

    /** Records, specs and blobs are read by berthd and root-run tools only; a container's env is a secret. */
    public static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private static final String TEMP_MARK = ".tmp-";

    private AtomicFiles() {}

    /**
     * Deletes the temporaries that writes cut short by a crash left in {@code dir} (not below it); a missing dir is
     * fine. Only while nothing writes there.
     */
    public static void sweepTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")
                        && name.contains(TEMP_MARK)
                        && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Atomic but not durable: readers, and a berthd restarted after a crash of its own, see the old file
     * or the new one (the page cache survives the process); after a power loss the file may be old, new,
     * empty or missing. For records whose loss on power failure costs nothing (see
     * {@link RecordStore#putTransient}).
     */
    public static void writeUnsynced(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Directories.createPrivate(dir);
        Path temp = dir.resolve("." + target.getFileName() + TEMP_MARK + UUID.randomUUID());
        try {
            try (FileChannel channel =
                    FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE)) {
                var buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            if (durable) {
                moveDurably(temp, target);
            } else {
                move(temp, target);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Renames {@code source} onto {@code target} atomically and makes the rename itself durable. */
    public static void moveDurably(Path source, Path target) throws IOException {
        move(source, target);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    private static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + " atomically", e);
        }
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
