package dev.berth.build.copy;

import dev.berth.sys.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The content hash of a COPY's sources for its cache key: every file's path, type, mode, size and content digest,
 * every symlink's target, in name order. Times are left out, as docker leaves them out: a checkout's mtimes change
 * without the content changing. A file of the build context has its digest from the unpack ({@link ContextDigests});
 * any other is read.
 */
public final class SourceHash {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    private SourceHash() {}

    public static String of(List<CopySources.Source> sources, boolean withOwners, ContextDigests known)
            throws IOException {
        MessageDigest hash = Sha256.newDigest();
        MessageDigest file = Sha256.newDigest();
        byte[] buffer = new byte[64 * 1024];
        for (CopySources.Source source : sources) {
            List<Path> tree;
            try (Stream<Path> walk = Files.walk(source.path())) {
                tree = walk.sorted().toList();
            }
            for (Path path : tree) {
                Map<String, Object> a =
                        Files.readAttributes(path, "unix:mode,uid,gid,size,dev,ino", LinkOption.NOFOLLOW_LINKS);
                String name = source.name() + "/" + source.path().relativize(path);
                int mode = (Integer) a.get("mode");
                StringBuilder line = new StringBuilder(name).append('\0').append(mode);
                if (withOwners) {
                    line.append(':').append(a.get("uid")).append(':').append(a.get("gid"));
                }
                int type = mode & S_IFMT;
                if (type == S_IFLNK) {
                    line.append("->").append(Files.readSymbolicLink(path));
                } else if (type == S_IFREG) {
                    line.append(' ').append(a.get("size"));
                }
                hash.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
                if (type == S_IFREG) {
                    byte[] digest = known.of((Long) a.get("dev"), (Long) a.get("ino"));
                    hash.update(digest != null ? digest : read(path, file, buffer));
                }
            }
        }
        return "sha256:" + HexFormat.of().formatHex(hash.digest());
    }

    private static byte[] read(Path path, MessageDigest digest, byte[] buffer) throws IOException {
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }
}
