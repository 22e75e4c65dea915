package dev.berth.snapshot;

import dev.berth.store.Directories;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The snapshot directory a layer is unpacked into, seen through normalised relative names. It never
 * writes through a symlink: a parent component is used only once it is known to be a real directory,
 * either because this unpack made it or because {@code lstat} said so. That knowledge is cached, so
 * the usual layer (parents before children) costs one hash lookup per entry, not one lstat per level.
 */
final class TargetTree {

    private static final int IMPLICIT_DIRECTORY_MODE = 0755;

    private final Path root;
    private final Syscalls sys;
    private final Set<String> knownDirectories = new HashSet<>();
    private final Map<String, long[]> directoryTimes = new HashMap<>();

    TargetTree(Path root, Syscalls sys) {
        this.root = root;
        this.sys = sys;
    }

    Path resolve(String relative) {
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /**
     * Makes sure every parent of {@code relative} is a real directory, creating missing ones (0755,
     * root); refuses a parent that is a symlink or not a directory.
     */
    void prepareParents(String relative, String entryName) throws IOException {
        String parent = EntryNames.parent(relative);
        if (parent.isEmpty() || knownDirectories.contains(parent)) {
            return;
        }
        walkParents(parent, entryName, true);
    }

    /** Like {@link #prepareParents} but creates nothing: false when a parent is missing. */
    boolean parentsExist(String relative, String entryName) throws IOException {
        String parent = EntryNames.parent(relative);
        return parent.isEmpty() || knownDirectories.contains(parent) || walkParents(parent, entryName, false);
    }

    private boolean walkParents(String directory, String entryName, boolean create) throws IOException {
        int end = -1;
        do {
            end = directory.indexOf('/', end + 1);
            String prefix = end < 0 ? directory : directory.substring(0, end);
            if (knownDirectories.contains(prefix)) {
                continue;
            }
            Path path = root.resolve(prefix);
            BasicFileAttributes attributes = attributesOrNull(path);
            if (attributes == null) {
                if (!create) {
                    return false;
                }
                Files.createDirectory(path);
                sys.lchown(path, 0, 0);
                sys.chmod(path, IMPLICIT_DIRECTORY_MODE);
            } else if (attributes.isSymbolicLink()) {
                throw new LayerRejectedException(entryName, "its parent \"" + prefix + "\" is a symlink");
            } else if (!attributes.isDirectory()) {
                throw new LayerRejectedException(entryName, "its parent \"" + prefix + "\" is not a directory");
            }
            knownDirectories.add(prefix);
        } while (end >= 0);
        return true;
    }

    /** lstat; null when nothing is there. */
    BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Records that this unpack made (or kept) a real directory at {@code relative}. */
    void directoryCreated(String relative) {
        knownDirectories.add(relative);
    }

    /**
     * Creates a directory, or keeps the one already there; whatever else is there is replaced.
     * Returns the path.
     */
    Path createOrKeepDirectory(String relative) throws IOException {
        Path path = resolve(relative);
        try {
            Files.createDirectory(path);
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes attributes = attributesOrNull(path);
            if (attributes == null || !attributes.isDirectory()) {
                remove(relative);
                Files.createDirectory(path);
            }
        }
        knownDirectories.add(relative);
        return path;
    }

    /** Removes what is at {@code relative} (recursively, without following symlinks), and forgets it. */
    void remove(String relative) throws IOException {
        Path path = resolve(relative);
        BasicFileAttributes attributes = attributesOrNull(path);
        if (attributes == null) {
            return;
        }
        if (attributes.isDirectory()) {
            Directories.deleteRecursively(path);
            forgetTree(relative);
        } else {
            Files.delete(path);
        }
    }

    private void forgetTree(String relative) {
        String prefix = relative + "/";
        knownDirectories.remove(relative);
        knownDirectories.removeIf(known -> known.startsWith(prefix));
        directoryTimes.remove(relative);
        directoryTimes.keySet().removeIf(known -> known.startsWith(prefix));
    }

    /** A directory's times are set last: creating its children would change them again. */
    void deferDirectoryTimes(String relative, long atimeSeconds, long atimeNanos, long mtimeSeconds, long mtimeNanos) {
        directoryTimes.put(relative, new long[] {atimeSeconds, atimeNanos, mtimeSeconds, mtimeNanos});
    }

    void applyDirectoryTimes() throws IOException {
        List<Map.Entry<String, long[]>> pending = new ArrayList<>(directoryTimes.entrySet());
        for (Map.Entry<String, long[]> entry : pending) {
            long[] t = entry.getValue();
            sys.setTimesNoFollow(resolve(entry.getKey()), t[0], t[1], t[2], t[3]);
        }
        directoryTimes.clear();
    }
}
