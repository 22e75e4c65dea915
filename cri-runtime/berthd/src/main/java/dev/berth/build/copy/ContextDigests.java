package dev.berth.build.copy;

import dev.berth.snapshot.WrittenFiles;
import java.util.HashMap;
import java.util.Map;

/**
 * The SHA-256 of every regular file of a build's context, by inode, taken as the context was unpacked: a COPY
 * from the context hashes its sources from these instead of reading back what was just written. Sound because the
 * context directory is the build's own, starts empty, and nothing writes to it after the unpack: every regular
 * inode in it was made by the unpack, with its whole content, and the last file made on a reused inode number is
 * the one there.
 */
public final class ContextDigests implements WrittenFiles {

    /** For sources outside the context (another stage, an image): every file is read. */
    public static final ContextDigests NONE = new ContextDigests();

    private final Map<Inode, byte[]> byInode = new HashMap<>();

    private record Inode(long device, long number) {}

    @Override
    public synchronized void written(long device, long inode, byte[] sha256) {
        if (this == NONE) {
            throw new IllegalStateException("NONE records nothing");
        }
        byInode.put(new Inode(device, inode), sha256);
    }

    /** The content digest of the regular file with this inode, or null when it was not unpacked here. */
    synchronized byte[] of(long device, long inode) {
        return byInode.get(new Inode(device, inode));
    }
}
