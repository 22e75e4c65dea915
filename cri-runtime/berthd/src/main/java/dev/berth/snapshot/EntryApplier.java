package dev.berth.snapshot;

import dev.berth.sys.DeviceNumber;
import dev.berth.sys.Errno;
import dev.berth.sys.Sha256;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies tar entries to a {@link TargetTree} the way containerd's {@code archive.Apply} does with the
 * overlay whiteout converter: create (replacing whatever else is there), lchown, xattrs, chmod (after
 * chown, which clears setuid), then times; whiteouts become 0:0 character devices and opaque markers
 * become {@code trusted.overlay.opaque=y}. One instance per unpack.
 */
final class EntryApplier {

    private static final Logger log = LoggerFactory.getLogger(EntryApplier.class);
    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final byte[] OPAQUE_VALUE = "y".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_ID = 0xffff_fffeL;
    /** Larger files of a recorded unpack are always written: held in memory to be digested first, they would cost. */
    private static final long REUSE_LIMIT = 1 << 20;

    private final TargetTree tree;
    private final TarReader reader;
    private final Syscalls sys;
    private final CreationModes modes;
    private final long euid;
    private final long egid;
    private final WrittenFiles written;
    private long bytesWritten;

    /** @param written told of each regular file written, or null */
    EntryApplier(TargetTree tree, TarReader reader, Syscalls sys, CreationModes modes, WrittenFiles written) {
        this.tree = tree;
        this.written = written;
        this.reader = reader;
        this.sys = sys;
        this.modes = modes;
        this.euid = sys.geteuid() & 0xffff_ffffL;
        this.egid = sys.getegid() & 0xffff_ffffL;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    /** Applies one entry; false when the entry was skipped (the root itself, AUFS metadata). */
    boolean apply(TarEntry entry) throws IOException {
        try {
            return applyEntry(entry);
        } catch (InvalidPathException | CharacterCodingException e) {
            throw new LayerRejectedException(
                    entry.name,
                    "the name or link target cannot be encoded in the JVM's file-name" + " charset (sun.jnu.encoding="
                            + System.getProperty("sun.jnu.encoding") + "); run berthd in a UTF-8 locale");
        }
    }

    private boolean applyEntry(TarEntry entry) throws IOException {
        String name = entry.name;
        String relative = EntryNames.normalise(name, name, "name");
        if (relative.isEmpty()) {
            log.debug("layer entry {} names the root directory; skipped, as containerd does", name);
            return false;
        }
        if (relative.startsWith(EntryNames.WHITEOUT_META_PREFIX) && !relative.equals(EntryNames.OPAQUE_MARKER)) {
            log.debug("layer entry {} is AUFS metadata; skipped", name);
            return false;
        }
        if (entry.uid < 0 || entry.uid > MAX_ID || entry.gid < 0 || entry.gid > MAX_ID) {
            throw new LayerRejectedException(name, "owner " + entry.uid + ":" + entry.gid + " is out of range");
        }
        int base = relative.lastIndexOf('/') + 1;
        if (relative.startsWith(EntryNames.WHITEOUT_PREFIX, base)) {
            return applyWhiteout(entry, relative, base);
        }
        if (entry.sparse) {
            throw new LayerRejectedException(name, "GNU sparse files are not supported");
        }
        boolean parentSetgid = tree.prepareParents(relative, name);
        Path path = tree.resolve(relative);
        switch (entry.type) {
            case TarEntry.DIRECTORY -> {
                boolean created = tree.createOrKeepDirectory(relative, path, modes.attribute(entry.mode), entry.mode);
                setMetadata(entry, relative, path, created, parentSetgid, true);
            }
            case TarEntry.REGULAR, TarEntry.REGULAR_OLD, TarEntry.CONTIGUOUS -> {
                if (written == null) {
                    writeFile(relative, path, modes.attribute(entry.mode));
                    setMetadata(entry, relative, path, true, parentSetgid, true);
                } else {
                    writeRecorded(entry, relative, path, parentSetgid);
                }
            }
            case TarEntry.SYMLINK -> {
                createSymlink(entry, relative, path);
                setMetadata(entry, relative, path, true, parentSetgid, false);
            }
            case TarEntry.HARDLINK -> createHardlink(entry, relative, path);
            case TarEntry.CHAR_DEVICE, TarEntry.BLOCK_DEVICE, TarEntry.FIFO -> {
                mknodReplacing(relative, path, fileType(entry) | entry.mode, deviceNumber(entry));
                setMetadata(entry, relative, path, true, parentSetgid, true);
            }
            default -> throw new LayerRejectedException(name, "entries of " + entry.typeName() + " are not supported");
        }
        return true;
    }

    private boolean applyWhiteout(TarEntry entry, String relative, int base) throws IOException {
        String name = entry.name;
        tree.prepareParents(relative, name);
        String directory = base == 0 ? "" : relative.substring(0, base - 1);
        if (relative.length() - base == EntryNames.OPAQUE_MARKER.length()
                && relative.startsWith(EntryNames.OPAQUE_MARKER, base)) {
            sys.lsetxattr(tree.resolve(directory), OPAQUE_XATTR, OPAQUE_VALUE);
            return true;
        }
        if (relative.startsWith(EntryNames.WHITEOUT_META_PREFIX, base)) {
            log.debug("layer entry {} is whiteout metadata other than an opaque marker; skipped", name);
            return false;
        }
        String hidden = relative.substring(base + EntryNames.WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new LayerRejectedException(name, "whiteout of \"" + hidden + "\" names no file");
        }
        String target = EntryNames.child(directory, hidden);
        Path path = tree.resolve(target);
        mknodReplacing(target, path, Syscalls.S_IFCHR, DeviceNumber.NONE);
        sys.lchown(path, (int) entry.uid, (int) entry.gid);
        return true;
    }

    private void writeFile(String relative, Path path, FileAttribute<?> permissions) throws IOException {
        try (FileChannel channel = createFile(relative, path, permissions)) {
            bytesWritten += reader.copyContent(channel);
        }
    }

    /**
     * A regular file of a recorded unpack: digested as it is written, or, when small and plain (no xattrs, no
     * setgid parent), digested first and linked to an equal file made before instead of made anew.
     */
    private void writeRecorded(TarEntry entry, String relative, Path path, boolean parentSetgid) throws IOException {
        WrittenFiles.FileEntry key = entry.xattrs.isEmpty() && !parentSetgid ? fileEntry(entry) : null;
        MessageDigest digest = Sha256.newDigest();
        if (key != null && written.reuses() && entry.size <= REUSE_LIMIT) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) entry.size);
            reader.copyContent(Channels.newChannel(bytes));
            byte[] content = bytes.toByteArray();
            byte[] sha256 = digest.digest(content);
            bytesWritten += content.length;
            WrittenFiles.SameFile same = written.same(relative, key, sha256);
            if (same != null && linked(relative, path, same)) {
                written.written(relative, key, same.device(), same.inode(), sha256);
                return;
            }
            try (FileChannel channel = createFile(relative, path, modes.attribute(entry.mode))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            setMetadata(entry, relative, path, true, parentSetgid, true);
            record(relative, key, path, sha256);
            return;
        }
        try (FileChannel channel = createFile(relative, path, modes.attribute(entry.mode))) {
            bytesWritten += reader.copyContent(new DigestingChannel(channel, digest));
        }
        setMetadata(entry, relative, path, true, parentSetgid, true);
        record(relative, key, path, digest.digest());
    }

    private void record(String relative, WrittenFiles.FileEntry key, Path path, byte[] sha256) throws IOException {
        long[] inode = inode(path);
        written.written(relative, key, inode[0], inode[1], sha256);
    }

    private static long[] inode(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        return new long[] {(Long) a.get("dev"), (Long) a.get("ino")};
    }

    /** Links {@code same} at {@code path}; false, with nothing left at the path, if it is gone or not that inode. */
    private boolean linked(String relative, Path path, WrittenFiles.SameFile same) throws IOException {
        try {
            try {
                Files.createLink(path, same.path());
            } catch (FileAlreadyExistsException e) {
                tree.remove(relative);
                Files.createLink(path, same.path());
            }
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (FileSystemException e) {
            return false; // gone meanwhile, or too many links: the file is written instead
        }
        long[] inode = inode(path);
        if (inode[0] == same.device() && inode[1] == same.inode()) {
            return true;
        }
        Files.delete(path);
        return false;
    }

    private static WrittenFiles.FileEntry fileEntry(TarEntry entry) {
        boolean atimeLater = entry.atimeAfterMtime();
        return new WrittenFiles.FileEntry(
                entry.mode,
                entry.uid,
                entry.gid,
                entry.mtimeSeconds,
                entry.mtimeNanos,
                atimeLater ? entry.atimeSeconds : entry.mtimeSeconds,
                atimeLater ? entry.atimeNanos : entry.mtimeNanos);
    }

    /**
     * Before a hard link entry sets owner, mode and times on an inode: a shared one (linked from another tree) is
     * copied to a private one first, and no earlier entry describes it any more.
     */
    private void unshare(Path target) throws IOException {
        long[] inode = inode(target);
        if (written.shared(inode[0], inode[1])) {
            Path copy = target.resolveSibling(".berth-unshare-" + inode[1]);
            Files.copy(target, copy, LinkOption.NOFOLLOW_LINKS);
            Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long[] own = inode(target);
            written.copied(inode[0], inode[1], own[0], own[1]);
            inode = own;
        }
        written.changed(inode[0], inode[1]);
    }

    private FileChannel createFile(String relative, Path path, FileAttribute<?> permissions) throws IOException {
        try {
            return FileChannel.open(path, NEW_FILE, permissions);
        } catch (FileAlreadyExistsException e) {
            tree.remove(relative);
            return FileChannel.open(path, NEW_FILE, permissions);
        }
    }

    private void createSymlink(TarEntry entry, String relative, Path path) throws IOException {
        String target = entry.linkName;
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new LayerRejectedException(entry.name, "symlink target is empty or contains a NUL byte");
        }
        try {
            sys.symlink(target, path);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
            tree.remove(relative);
            sys.symlink(target, path);
        }
    }

    private void createHardlink(TarEntry entry, String relative, Path path) throws IOException {
        String name = entry.name;
        String target = EntryNames.normalise(entry.linkName, name, "hard link target \"" + entry.linkName + "\"");
        if (target.isEmpty() || target.equals(relative)) {
            throw new LayerRejectedException(name, "hard link to " + (target.isEmpty() ? "the layer root" : "itself"));
        }
        Integer existing = tree.existingMode(target, name);
        if (existing == null) {
            throw new LayerRejectedException(
                    name, "hard link target \"" + entry.linkName + "\" does not exist in this layer");
        }
        if (TargetTree.isDirectory(existing)) {
            throw new LayerRejectedException(name, "hard link to the directory \"" + entry.linkName + "\"");
        }
        Path targetPath = tree.resolve(target);
        if (written != null && !TargetTree.isSymlink(existing)) {
            unshare(targetPath);
        }
        try {
            Files.createLink(path, targetPath);
        } catch (FileAlreadyExistsException e) {
            tree.remove(relative);
            Files.createLink(path, targetPath);
        }
        // The inode is the target's: owner and mode are always set, as containerd sets them.
        setMetadata(entry, relative, path, false, false, !TargetTree.isSymlink(existing));
    }

    private void mknodReplacing(String relative, Path path, int mode, DeviceNumber device) throws IOException {
        try {
            sys.mknod(path, mode, device);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
            tree.remove(relative);
            sys.mknod(path, mode, device);
        }
    }

    /**
     * Owner, xattrs, mode (unless a symlink), times: in this order, which is the only one that keeps
     * them all (chown clears setuid and file capabilities). A file this unpack just created already has
     * the process's owner and its mode less the umask, so the calls that would change nothing are
     * skipped: for most entries of a layer, lchown and chmod both.
     */
    private void setMetadata(
            TarEntry entry, String relative, Path path, boolean created, boolean parentSetgid, boolean chmodAllowed)
            throws IOException {
        boolean fresh = created && !parentSetgid;
        if (!fresh || entry.uid != euid || entry.gid != egid) {
            sys.lchown(path, (int) entry.uid, (int) entry.gid);
        }
        for (int i = 0; i < entry.xattrs.size(); i++) {
            setXattr(entry, path, entry.xattrs.get(i));
        }
        if (chmodAllowed && (!fresh || modes.needsChmod(entry.mode))) {
            sys.chmod(path, entry.mode);
        }
        boolean atimeLater = entry.atimeAfterMtime();
        long atimeSeconds = atimeLater ? entry.atimeSeconds : entry.mtimeSeconds;
        long atimeNanos = atimeLater ? entry.atimeNanos : entry.mtimeNanos;
        if (entry.type == TarEntry.DIRECTORY) {
            tree.deferDirectoryTimes(relative, atimeSeconds, atimeNanos, entry.mtimeSeconds, entry.mtimeNanos);
        } else {
            sys.setTimesNoFollow(path, atimeSeconds, atimeNanos, entry.mtimeSeconds, entry.mtimeNanos);
        }
    }

    private void setXattr(TarEntry entry, Path path, TarEntry.Xattr xattr) throws IOException {
        if (xattr.name().startsWith("trusted.overlay.") || xattr.name().startsWith("user.overlay.")) {
            // Only whiteout conversion may speak to overlayfs; a layer's own redirect or metacopy
            // attributes would change what the merged view shows.
            log.warn("layer entry {}: ignored overlayfs attribute {} in the tar", entry.name, xattr.name());
            return;
        }
        try {
            sys.lsetxattr(path, xattr.name(), xattr.value());
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOTSUP) {
                throw e;
            }
            log.debug("layer entry {}: the file system refuses xattr {}; skipped", entry.name, xattr.name());
        }
    }

    private static int fileType(TarEntry entry) {
        return switch (entry.type) {
            case TarEntry.CHAR_DEVICE -> Syscalls.S_IFCHR;
            case TarEntry.BLOCK_DEVICE -> Syscalls.S_IFBLK;
            default -> Syscalls.S_IFIFO;
        };
    }

    private static DeviceNumber deviceNumber(TarEntry entry) throws LayerRejectedException {
        if (entry.type == TarEntry.FIFO) {
            return DeviceNumber.NONE;
        }
        try {
            return new DeviceNumber(entry.devMajor, entry.devMinor);
        } catch (IllegalArgumentException e) {
            throw new LayerRejectedException(entry.name, e.getMessage());
        }
    }
}
