package dev.berth.build.copy;

import dev.berth.snapshot.LayerUnpacker;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Tar archives a build unpacks: the context the client streams and the local archives ADD extracts. Plain or gzip
 * (told by the first bytes); unpacked by the layer unpacker, which refuses absolute names, ".." and writes through
 * symlinks ({@link dev.berth.snapshot.LayerRejectedException}).
 */
public final class TarArchives {

    private static final int USTAR_OFFSET = 257;

    private final LayerUnpacker unpacker;

    public TarArchives(LayerUnpacker unpacker) {
        this.unpacker = unpacker;
    }

    /** Unpacks {@code archive} into the empty directory {@code dir}; an empty stream is an empty context. */
    public void extract(InputStream archive, Path dir) throws IOException {
        extract(archive, dir, null);
    }

    /** As {@link #extract(InputStream, Path)}, recording the regular files' digests in {@code digests} if not null. */
    public void extract(InputStream archive, Path dir, ContextDigests digests) throws IOException {
        BufferedInputStream in = new BufferedInputStream(archive, 64 * 1024);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        if (first < 0) {
            return;
        }
        in.reset();
        InputStream tar = first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
        unpacker.unpack(tar, dir, digests);
    }

    /** True when ADD would extract the file: a gzip stream, or a tar with the ustar magic. */
    public static boolean isArchive(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] head = in.readNBytes(USTAR_OFFSET + 5);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return true;
            }
            return head.length == USTAR_OFFSET + 5
                    && Arrays.equals(
                            Arrays.copyOfRange(head, USTAR_OFFSET, USTAR_OFFSET + 5),
                            "ustar".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
