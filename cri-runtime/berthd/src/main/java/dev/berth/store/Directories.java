package dev.berth.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

public final class Directories {

    /** What berthd keeps (env, layers, records) is nobody else's to read, traverse or execute from. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    /** Traversable but not listable: for a dir holding something another user must reach by name. */
    public static final Set<PosixFilePermission> TRAVERSABLE = PosixFilePermissions.fromString("rwx--x--x");

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_ATTRIBUTE =
            PosixFilePermissions.asFileAttribute(PRIVATE);

    private Directories() {}

    /**
     * Creates {@code dir} and its missing parents 0700, so no other user of the host gets in; a dir that exists
     * keeps its mode (start-up tightens the known ones, see {@link #restrict}).
     */
    public static Path createPrivate(Path dir) throws IOException {
        return Files.createDirectories(dir, PRIVATE_ATTRIBUTE);
    }

    /** Sets an existing dir or file (never through a symlink) to {@code mode}; a missing one is not an error. */
    public static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (Files.isSymbolicLink(path) || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (NoSuchFileException e) {
            // removed meanwhile: nothing left to protect
        }
    }

    /** Deletes a tree without ever following a symlink out of it; a missing tree is not an error. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
