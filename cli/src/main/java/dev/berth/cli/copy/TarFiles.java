package dev.berth.cli.copy;

import dev.berth.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** The host side of cp: a file or tree as a tar stream under a name of its own, and a tar stream unpacked. */
public final class TarFiles {

    private TarFiles() {}

    /** Writes {@code source} (a file or a directory tree) as entries named {@code name}, {@code name/…}. */
    public static void write(Path source, String name, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            try (Stream<Path> paths = Files.walk(source)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    String entryName = name + (path.equals(source) ? "" : "/" + source.relativize(path));
                    TarArchiveEntry entry = new TarArchiveEntry(path, entryName, LinkOption.NOFOLLOW_LINKS);
                    if (Files.isSymbolicLink(path)) {
                        entry = new TarArchiveEntry(entryName, TarArchiveEntry.LF_SYMLINK);
                        entry.setLinkName(Files.readSymbolicLink(path).toString());
                    }
                    entry.setMode(mode(path));
                    tar.putArchiveEntry(entry);
                    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        Files.copy(path, tar);
                    }
                    tar.closeArchiveEntry();
                }
            }
        }
    }

    /**
     * Unpacks {@code in} into {@code target}, the first path element of each entry replaced by {@code name}
     * (cp's rename: {@code cp web:/etc/hosts ./h}). An entry that would land outside {@code target} is refused.
     */
    public static void extract(InputStream in, Path target, String name) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String entryName = entry.getName().replaceFirst("^\\./", "");
                int slash = entryName.indexOf('/');
                String renamed = name + (slash < 0 ? "" : entryName.substring(slash));
                Path path = root.resolve(renamed).normalize();
                if (!path.startsWith(root)) {
                    throw new CliException("refusing the tar entry " + entry.getName() + ": it leaves " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.deleteIfExists(path);
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else {
                    continue; // devices, fifos and hard links are not copied
                }
                if (!entry.isSymbolicLink()) {
                    Files.setAttribute(path, "unix:mode", entry.getMode() & 07777);
                }
            }
        }
    }

    private static int mode(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return 0777;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }
}
