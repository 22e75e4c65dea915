package dev.berth.snapshot;

import dev.berth.store.Directories;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.HashMap;
import java.util.Map;

/**
 * The snapshot directory a layer is unpacked into, seen through normalised relative names. It never
 * writes through a symlink: a parent component is used only once it is known to be a real directory,
 * either because this unpack made it or because {@code lstat} said so. That knowledge is cached (with
 * whether the directory is setgid, which decides the group of new files in it), so the usual layer
 * (parents before children) costs a string comparison or one hash lookup per entry, not an lstat per
 * level.
 */
final class TargetTree {

    private static final int IMPLICIT_DIRECTORY_MODE = 0755;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISGID = 02000;

    private final Path root;
    private final Syscalls sys;
    private final WrittenFiles written;
    /** Real directories by relative name, mapped to whether they are setgid; "" is the root. */
    private final Map<String, Boolean> directories = new HashMap<>();

    private final Map<String, long[]> directoryTimes = new HashMap<>();
    private String lastParent = "";
    private boolean lastParentSetgid;

    TargetTree(Path root, Syscalls sys) throws IOException {
        this(root, sys, null);
    }

    /** @param written told of each name removed, or null */
    TargetTree(Path root, Syscalls sys, WrittenFiles written) throws IOException {
        this.root = root;
        this.sys = sys;
        this.written = written;
        Integer mode = modeOrNull(root);
        if (mode == null || (mode & S_IFMT) != S_IFDIR) {
            throw new IOException("snapshot directory " + root + " is not a directory");
        }
        lastParentSetgid = (mode & S_ISGID) != 0;
        directories.put("", lastParentSetgid);
    }

    Path resolve(String relative) {
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /**
     * Makes sure every parent of {@code relative} is a real directory, creating missing ones (0755,
     * root); refuses a parent that is a symlink or not a directory. Returns whether the direct parent
     * is setgid.
     */
    boolean prepareParents(String relative, String entryName) throws IOException {
        int length = lastParent.length();
        if (length == 0
                ? relative.indexOf('/') < 0
                : relative.length() > length + 1
                        && relative.charAt(length) == '/'
                        && relative.startsWith(lastParent)
                        && relative.indexOf('/', length + 1) < 0) {
            return lastParentSetgid;
        }
        String parent = EntryNames.parent(relative);
        Boolean setgid = directories.get(parent);
        if (setgid == null) {
            setgid = walkParents(parent, entryName);
        }
        lastParent = parent;
        lastParentSetgid = setgid;
        return setgid;
    }

    private boolean walkParents(String directory, String entryName) throws IOException {
        boolean setgid = false;
        int end = -1;
        do {
            end = directory.indexOf('/', end + 1);
            String prefix = end < 0 ? directory : directory.substring(0, end);
            Boolean known = directories.get(prefix);
            if (known != null) {
                setgid = known;
                continue;
            }
            Path path = root.resolve(prefix);
            Integer mode = modeOrNull(path);
            if (mode == null) {
                Files.createDirectory(path);
                sys.lchown(path, 0, 0);
                sys.chmod(path, IMPLICIT_DIRECTORY_MODE);
                setgid = false;
            } else if ((mode & S_IFMT) == S_IFLNK) {
                throw new LayerRejectedException(entryName, "its parent \"" + prefix + "\" is a symlink");
            } else if ((mode & S_IFMT) != S_IFDIR) {
                throw new LayerRejectedException(entryName, "its parent \"" + prefix + "\" is not a directory");
            } else {
                setgid = (mode & S_ISGID) != 0;
            }
            directories.put(prefix, setgid);
        } while (end >= 0);
        return setgid;
    }

    /**
     * Whether {@code relative} names something already there whose parents are real directories; never
     * creates anything. Returns its {@code st_mode}, or null when it or a parent is missing.
     */
    Integer existingMode(String relative, String entryName) throws IOException {
        String parent = EntryNames.parent(relative);
        if (!directories.containsKey(parent)) {
            for (int end = parent.indexOf('/'); ; end = parent.indexOf('/', end + 1)) {
                String prefix = end < 0 ? parent : parent.substring(0, end);
                if (!directories.containsKey(prefix)) {
                    Integer mode = modeOrNull(root.resolve(prefix));
                    if (mode == null) {
                        return null;
                    }
                    if ((mode & S_IFMT) == S_IFLNK) {
                        throw new LayerRejectedException(
                                entryName, "its link target's parent \"" + prefix + "\" is a symlink");
                    }
                    if ((mode & S_IFMT) != S_IFDIR) {
                        return null;
                    }
                    directories.put(prefix, (mode & S_ISGID) != 0);
                }
                if (end < 0) {
                    break;
                }
            }
        }
        return modeOrNull(resolve(relative));
    }

    static boolean isDirectory(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    static boolean isSymlink(int mode) {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /**
     * Creates a directory with {@code permissions}, or keeps the one already there; whatever else is
     * there is replaced. Returns true when it created the directory.
     */
    boolean createOrKeepDirectory(String relative, Path path, FileAttribute<?> permissions, int mode)
            throws IOException {
        boolean created = true;
        try {
            Files.createDirectory(path, permissions);
        } catch (FileAlreadyExistsException e) {
            Integer existing = modeOrNull(path);
            if (existing != null && isDirectory(existing)) {
                created = false;
            } else {
                remove(relative);
                Files.createDirectory(path, permissions);
            }
        }
        directoryMode(relative, mode);
        return created;
    }

    /** Records the mode this unpack gave the directory at {@code relative}. */
    void directoryMode(String relative, int mode) {
        boolean setgid = (mode & S_ISGID) != 0;
        directories.put(relative, setgid);
        if (relative.equals(lastParent)) {
            lastParentSetgid = setgid;
        }
    }

    /** Removes what is at {@code relative} (recursively, without following symlinks), and forgets it. */
    void remove(String relative) throws IOException {
        Path path = resolve(relative);
        Integer mode = modeOrNull(path);
        if (mode == null) {
            return;
        }
        if (written != null) {
            written.removed(relative);
        }
        if (isDirectory(mode)) {
            Directories.deleteRecursively(path);
            forgetTree(relative);
        } else {
            Files.delete(path);
        }
    }

    private void forgetTree(String relative) {
        String prefix = relative + "/";
        directories.remove(relative);
        directories.keySet().removeIf(known -> known.startsWith(prefix));
        directoryTimes.remove(relative);
        directoryTimes.keySet().removeIf(known -> known.startsWith(prefix));
        lastParent = "";
        lastParentSetgid = directories.get("");
    }

    /** A directory's times are set last: creating its children would change them again. */
    void deferDirectoryTimes(String relative, long atimeSeconds, long atimeNanos, long mtimeSeconds, long mtimeNanos) {
        directoryTimes.put(relative, new long[] {atimeSeconds, atimeNanos, mtimeSeconds, mtimeNanos});
    }

    void applyDirectoryTimes() throws IOException {
        for (Map.Entry<String, long[]> entry : directoryTimes.entrySet()) {
            long[] t = entry.getValue();
            sys.setTimesNoFollow(resolve(entry.getKey()), t[0], t[1], t[2], t[3]);
        }
        directoryTimes.clear();
    }

    /** lstat's {@code st_mode}; null when nothing is there. */
    private static Integer modeOrNull(Path path) throws IOException {
        try {
            return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
