package dev.berth.build.copy;

import dev.berth.oci.RootfsPath;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a COPY or ADD source names in its root, with Docker's rules: a plain path (symlinks followed inside
 * the root), or a pattern with {@code * ? [...]} matched component by component as Go's {@code filepath.Match}
 * does. A source that matches nothing is an error the caller reports as "not found".
 */
public final class CopySources {

    private CopySources() {}

    /** One matched source: its host path and its path relative to the root (for cache keys and names). */
    public record Source(Path path, String name) {}

    public static boolean isPattern(String source) {
        return source.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /** @return the matches in name order; empty when nothing matched */
    public static List<Source> match(RootfsPath root, String source) throws IOException {
        if (!isPattern(source)) {
            Path path = root.resolve(source);
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            return List.of(new Source(path, root.root().relativize(path).toString()));
        }
        String normal = Path.of("/" + source).normalize().toString().substring(1);
        int depth = normal.split("/").length;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + normal);
        List<Source> matches = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root.root(), depth)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Path relative = root.root().relativize(path);
                if (relative.getNameCount() == depth && !relative.toString().isEmpty() && matcher.matches(relative)) {
                    matches.add(new Source(path, relative.toString()));
                }
            }
        }
        matches.sort((a, b) -> a.name().compareTo(b.name()));
        return matches;
    }
}
