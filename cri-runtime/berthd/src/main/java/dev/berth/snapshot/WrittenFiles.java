package dev.berth.snapshot;

import java.nio.file.Path;

/**
 * A build context's view of its unpack: told of each regular file made (its inode and the SHA-256 of its content)
 * and of each name the unpack removes, and asked for an identical file made earlier, to link instead of writing a
 * new one (a new inode is the dearest part of an unpack).
 */
public interface WrittenFiles {

    /** What an entry sets on a regular file besides its content; equal entries make equal files. */
    record FileEntry(
            int mode, long uid, long gid, long mtimeSeconds, long mtimeNanos, long atimeSeconds, long atimeNanos) {}

    /** An existing file's path and its inode, which the link made must have. */
    record SameFile(Path path, long device, long inode) {}

    /**
     * @param entry what the entry set, or null when the file is no candidate for reuse (xattrs, a setgid parent)
     */
    void written(String relative, FileEntry entry, long device, long inode, byte[] sha256);

    /** {@code relative} (and, for a directory, everything under it) was removed. */
    void removed(String relative);

    /** Whether {@link #same} can answer; the applier then digests a small file before it makes it. */
    boolean reuses();

    /** A file made from an entry equal to this one, content included; null when there is none. */
    SameFile same(String relative, FileEntry entry, byte[] sha256);

    /** Whether this inode is one {@link #same} gave, hence shared with another tree and not to be changed. */
    boolean shared(long device, long inode);

    /** A hard link entry changes the owner, mode and times of this inode: no earlier entry describes it now. */
    void changed(long device, long inode);

    /** A shared inode was copied to a private one at the same names, before a hard link entry changes it. */
    void copied(long fromDevice, long fromInode, long toDevice, long toInode);
}
