package dev.berth.operator.ociimage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removal of the build's scratch trees. */
final class Trees {
    private Trees() {}

    /** Deletes {@code dir} and everything below it (symbolic links themselves, never their targets). */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
