package dev.berth.operator.ociimage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The entries of one image layer, written as an uncompressed tar in path order, every entry owned by root with
 * one fixed mtime: the same inputs give the same bytes, and so the same layer digest.
 */
final class LayerBuilder {
    /** Jib's choice: a fixed mtime that some tools do not mistake for "unset" as they would the epoch itself. */
    static final Instant MTIME = Instant.ofEpochSecond(1);

    private static final int DIRECTORY = 040000;
    private static final int REGULAR = 0100000;
    private static final int SYMLINK = 0120000;

    private final String description;
    private final Map<String, Entry> entries = new TreeMap<>();

    /** @param description what the layer holds, for the image's history */
    LayerBuilder(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    LayerBuilder dir(String path, int mode) {
        String name = name(path);
        parents(name);
        entries.put(name, new Entry(name, mode, null, null, null));
        return this;
    }

    LayerBuilder file(String path, byte[] content, int mode) {
        String name = name(path);
        parents(name);
        entries.put(name, new Entry(name, mode, null, content.clone(), null));
        return this;
    }

    /** A host file's content (symlinks followed) at {@code path}; executable for all if its owner may run it. */
    LayerBuilder file(String path, Path source) throws IOException {
        Path real = source.toRealPath();
        if (!Files.isRegularFile(real)) {
            throw new IOException(source + " is not a regular file");
        }
        String name = name(path);
        parents(name);
        entries.put(name, new Entry(name, modeOf(real), real, null, null));
        return this;
    }

    /** A symbolic link, its target kept as given (jlink links the legal notices of one module to another's). */
    LayerBuilder symlink(String path, String target) {
        String name = name(path);
        parents(name);
        entries.put(name, new Entry(name, 0777, null, null, target));
        return this;
    }

    /**
     * A host directory tree below {@code path}: directories 0755, symbolic links as they are, files as
     * {@link #file(String, Path)}.
     */
    LayerBuilder tree(String path, Path root) throws IOException {
        dir(path, 0755);
        List<Path> children;
        try (Stream<Path> walk = Files.walk(root)) {
            children = walk.filter(p -> !p.equals(root)).toList();
        }
        for (Path child : children) {
            String target = path + "/" + root.relativize(child).toString().replace('\\', '/');
            if (Files.isSymbolicLink(child)) {
                symlink(target, Files.readSymbolicLink(child).toString());
            } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                dir(target, 0755);
            } else {
                file(target, child);
            }
        }
        return this;
    }

    /** Writes the tar (uncompressed) to {@code out}, which stays open. */
    void writeTar(OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (Entry entry : entries.values()) {
            TarArchiveEntry header = entry.linkTarget != null
                    ? new TarArchiveEntry(entry.name, TarConstants.LF_SYMLINK)
                    : new TarArchiveEntry(entry.directory() ? entry.name + "/" : entry.name);
            header.setMode((entry.linkTarget != null ? SYMLINK : entry.directory() ? DIRECTORY : REGULAR) | entry.mode);
            header.setIds(0, 0);
            header.setNames("", "");
            header.setModTime(MTIME.toEpochMilli());
            if (entry.linkTarget != null) {
                header.setLinkName(entry.linkTarget);
                tar.putArchiveEntry(header);
            } else if (entry.directory()) {
                tar.putArchiveEntry(header);
            } else if (entry.content != null) {
                header.setSize(entry.content.length);
                tar.putArchiveEntry(header);
                tar.write(entry.content);
            } else {
                header.setSize(Files.size(entry.source));
                tar.putArchiveEntry(header);
                try (InputStream in = Files.newInputStream(entry.source)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.close();
    }

    private void parents(String name) {
        List<String> missing = new ArrayList<>();
        for (int slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
            String parent = name.substring(0, slash);
            if (!entries.containsKey(parent)) {
                missing.add(parent);
            }
        }
        missing.forEach(parent -> entries.put(parent, new Entry(parent, 0755, null, null, null)));
    }

    /** The entry name in the tar: relative, no {@code .} or {@code ..}, no trailing slash. */
    private static String name(String path) {
        String name = path.startsWith("/") ? path.substring(1) : path;
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("bad layer path '" + path + "'");
            }
        }
        return name;
    }

    private static int modeOf(Path file) throws IOException {
        var permissions = Files.getPosixFilePermissions(file);
        return permissions.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    }

    /** A directory when it has neither source, content nor link target. */
    private record Entry(String name, int mode, Path source, byte[] content, String linkTarget) {
        boolean directory() {
            return source == null && content == null && linkTarget == null;
        }
    }

    /** The tar stream's close must not close the digesting streams underneath. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
