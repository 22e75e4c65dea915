package dev.berth.build.copy;

import dev.berth.oci.RootfsPath;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies a file or a directory's tree into a root filesystem as COPY does: files, directories and symlinks (links
 * copied as links, never followed), modification times kept, owners either kept (COPY --from) or set, an optional
 * --chmod mode for everything copied. Every target path is resolved inside the destination root, so a symlink
 * already there cannot lead the copy out of it.
 */
public final class FileCopier {

    private static final String ATTRIBUTES = "unix:mode,uid,gid,lastModifiedTime";

    private final RootfsPath target;
    private final Owner owner;
    private final int chmod;

    /** Who owns what is copied: {@code keep} the source's owners, else {@code uid:gid}. */
    public record Owner(boolean keep, int uid, int gid) {
        public static final Owner ROOT = new Owner(false, 0, 0);
        public static final Owner KEEP = new Owner(true, 0, 0);
    }

    /** @param chmod the --chmod mode, or -1 to keep the source's */
    public FileCopier(RootfsPath target, Owner owner, int chmod) {
        this.target = target;
        this.owner = owner;
        this.chmod = chmod;
    }

    /** Copies the directory's contents (not the directory itself) into the container directory {@code dest}. */
    public void copyContents(Path sourceDir, String dest) throws IOException {
        Path destDir = target.resolve(dest);
        target.createDirectories(destDir);
        try (Stream<Path> children = Files.list(sourceDir)) {
            for (Path child : children.sorted().toList()) {
                copy(child, dest + "/" + child.getFileName());
            }
        }
    }

    /** Copies a file, symlink or directory tree to the container path {@code dest}. */
    public void copy(Path source, String dest) throws IOException {
        Path resolved = target.resolveParent(dest);
        target.createDirectories(resolved.getParent());
        Map<String, Object> a = Files.readAttributes(source, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (Files.isSymbolicLink(source)) {
            replace(resolved);
            Files.createSymbolicLink(resolved, Files.readSymbolicLink(source));
        } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(resolved);
            }
            if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(resolved);
            }
            try (Stream<Path> children = Files.list(source)) {
                for (Path child : children.sorted().toList()) {
                    copy(child, dest + "/" + child.getFileName());
                }
            }
        } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            replace(resolved);
            Files.copy(source, resolved, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } else {
            // devices, fifos and sockets have no place in a COPY; docker skips sockets too
            return;
        }
        attributes(resolved, a);
    }

    /** Writes {@code content} as a new regular file (a here-document source), mode 0644 unless --chmod. */
    public void write(byte[] content, String dest, FileTime mtime) throws IOException {
        Path resolved = target.resolveParent(dest);
        target.createDirectories(resolved.getParent());
        replace(resolved);
        Files.write(resolved, content);
        attributes(resolved, Map.of("mode", 0100644, "uid", 0, "gid", 0, "lastModifiedTime", mtime));
    }

    private void attributes(Path path, Map<String, Object> source) throws IOException {
        int uid = owner.keep() ? (int) source.get("uid") : owner.uid();
        int gid = owner.keep() ? (int) source.get("gid") : owner.gid();
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        if (!Files.isSymbolicLink(path)) {
            int mode = chmod >= 0 ? chmod : (int) source.get("mode") & 07777;
            Files.setAttribute(path, "unix:mode", mode);
        }
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes((FileTime) source.get("lastModifiedTime"), null, null);
    }

    private static void replace(Path path) throws IOException {
        try {
            Files.deleteIfExists(path);
        } catch (DirectoryNotEmptyException e) {
            throw new IOException("cannot replace the directory " + path.getFileName() + " with a file", e);
        }
    }
}
