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
 * The content hash of a COPY's sources for its cache key: every file's path, type, mode, size and bytes, every
 * symlink's target, in name order. Times are left out, as docker leaves them out: a checkout's mtimes change
 * without the content changing.
 */
public final class SourceHash {

    private SourceHash() {}

    public static String of(List<CopySources.Source> sources, boolean withOwners) throws IOException {
        MessageDigest hash = Sha256.newDigest();
        byte[] buffer = new byte[64 * 1024];
        for (CopySources.Source source : sources) {
            List<Path> tree;
            try (Stream<Path> walk = Files.walk(source.path())) {
                tree = walk.sorted().toList();
            }
            for (Path path : tree) {
                Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
                String name = source.name() + "/" + source.path().relativize(path);
                StringBuilder line = new StringBuilder(name).append('\0').append(a.get("mode"));
                if (withOwners) {
                    line.append(':').append(a.get("uid")).append(':').append(a.get("gid"));
                }
                if (Files.isSymbolicLink(path)) {
                    line.append("->").append(Files.readSymbolicLink(path));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    line.append(' ').append(a.get("size"));
                }
                hash.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            hash.update(buffer, 0, n);
                        }
                    }
                }
            }
        }
        return "sha256:" + HexFormat.of().formatHex(hash.digest());
    }
}
