package dev.berth.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paths inside a root filesystem (a build context, a stage's rootfs) resolved as a process chrooted there would:
 * every symlink on the way followed by hand with the root as "/", ".." stopping at the root. A build writes into
 * image content it did not make, so a symlink like {@code /app -> /etc} or {@code -> ../../..} must never lead a
 * copy out onto the node.
 */
public final class RootfsPath {

    private static final int MAX_LINKS = 40;

    private final Path root;

    public RootfsPath(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The host path of {@code path}, symlinks followed all the way (the last one too); it need not exist. */
    public Path resolve(String path) throws IOException {
        return resolve(path, true);
    }

    /** As {@link #resolve(String)} but a symlink as the last component is the link itself. */
    public Path resolveParent(String path) throws IOException {
        return resolve(path, false);
    }

    private Path resolve(String path, boolean followLast) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        push(pending, path);
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                resolved.pollLast();
                continue;
            }
            Path candidate = host(resolved).resolve(part);
            boolean last = pending.stream().allMatch(p -> p.isEmpty() || p.equals("."));
            if ((followLast || !last) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links resolving " + path);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                push(pending, target);
                continue;
            }
            resolved.addLast(part);
        }
        return host(resolved);
    }

    /** Makes every missing directory of the host path {@code dir} (inside the root), mode 0755, owned by root. */
    public void createDirectories(Path dir) throws IOException {
        if (!dir.startsWith(root)) {
            throw new IOException(dir + " is outside " + root);
        }
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path relative = root.relativize(dir);
        Path current = root;
        for (Path part : relative) {
            current = current.resolve(part);
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
                Files.setAttribute(current, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
            } else if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(root.relativize(current) + " is not a directory");
            }
        }
    }

    private static void push(Deque<String> pending, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            pending.push(parts[i]);
        }
    }

    private Path host(Deque<String> parts) {
        Path path = root;
        for (String part : parts) {
            path = path.resolve(part);
        }
        return path;
    }
}
