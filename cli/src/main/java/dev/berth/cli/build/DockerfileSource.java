package dev.berth.cli.build;

import dev.berth.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where berthd reads the Dockerfile: at {@code pathInContext} (sent with the context), or {@code text} for one
 * outside the context or on stdin ({@code -f -}), as docker's CLI decides it.
 */
public record DockerfileSource(String pathInContext, String text) {

    /**
     * {@code flag} is {@code -f}'s value (null when absent: {@code CONTEXT/Dockerfile}, else
     * {@code CONTEXT/dockerfile}); a relative path is taken from the current directory, as docker's.
     */
    public static DockerfileSource resolve(Path context, String flag, InputStream stdin) throws IOException {
        if ("-".equals(flag)) {
            return new DockerfileSource(null, new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
        }
        Path file;
        if (flag == null) {
            file = context.resolve("Dockerfile");
            if (!Files.exists(file) && Files.exists(context.resolve("dockerfile"))) {
                file = context.resolve("dockerfile");
            }
        } else {
            file = Path.of(flag).toAbsolutePath();
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException("unable to prepare context: cannot locate Dockerfile: " + file);
        }
        Path real = file.toRealPath();
        Path root = context.toRealPath();
        if (real.startsWith(root)) {
            return new DockerfileSource(slashed(root.relativize(real)), null);
        }
        return new DockerfileSource(null, Files.readString(real, StandardCharsets.UTF_8));
    }

    private static String slashed(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
