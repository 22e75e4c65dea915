package dev.berth.build.copy;

import dev.berth.snapshot.WrittenFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the unpack of a build's context recorded: the SHA-256 of every regular file by inode, which a COPY from the
 * context hashes its sources from instead of reading back what was just written; and, by name, the entry each plain
 * file was made from, so that the next build's unpack can link an equal file instead of making a new inode.
 *
 * <p>The digests by inode are sound because the context directory is the build's own, starts empty, and nothing
 * writes to it after the unpack: every regular inode in it was made by the unpack with its whole content, or is one
 * of an earlier context linked after the same checks, and the last file recorded on a reused inode number is the
 * one there. A record by name goes when the unpack removes that name or a directory above it, or when a hard link
 * entry changes its inode's metadata.
 */
public final class ContextDigests implements WrittenFiles {

    /** For sources outside the context (another stage, an image): every file is read. */
    public static final ContextDigests NONE = new ContextDigests(null);

    private record Inode(long device, long number) {}

    private record Made(FileEntry entry, byte[] sha256, Inode inode) {}

    /** A context kept whole after its build, to link from: where it is now and what its unpack recorded. */
    public record Donor(Path dir, ContextDigests digests) {}

    private final Donor donor;
    private final Map<Inode, byte[]> byInode = new HashMap<>();
    private final TreeMap<String, Made> byName = new TreeMap<>();
    private final Set<Inode> shared = new HashSet<>();

    /** @param donor the context to link equal files from, or null */
    public ContextDigests(Donor donor) {
        this.donor = donor;
    }

    @Override
    public synchronized void written(String relative, FileEntry entry, long device, long inode, byte[] sha256) {
        if (this == NONE) {
            throw new IllegalStateException("NONE records nothing");
        }
        Inode key = new Inode(device, inode);
        byInode.put(key, sha256);
        byName.remove(relative);
        if (entry != null) {
            byName.put(relative, new Made(entry, sha256, key));
        }
    }

    @Override
    public synchronized void removed(String relative) {
        byName.remove(relative);
        byName.subMap(relative + "/", relative + "0").clear(); // '0' follows '/': exactly the names below
    }

    @Override
    public boolean reuses() {
        return donor != null;
    }

    @Override
    public SameFile same(String relative, FileEntry entry, byte[] sha256) {
        if (donor == null) {
            return null;
        }
        Made made = donor.digests().made(relative);
        if (made == null || !made.entry().equals(entry) || !Arrays.equals(made.sha256(), sha256)) {
            return null;
        }
        synchronized (this) {
            shared.add(made.inode());
        }
        return new SameFile(
                donor.dir().resolve(relative),
                made.inode().device(),
                made.inode().number());
    }

    @Override
    public synchronized boolean shared(long device, long inode) {
        return shared.contains(new Inode(device, inode));
    }

    @Override
    public synchronized void changed(long device, long inode) {
        Inode key = new Inode(device, inode);
        byName.values().removeIf(made -> made.inode().equals(key));
    }

    @Override
    public synchronized void copied(long fromDevice, long fromInode, long toDevice, long toInode) {
        Inode from = new Inode(fromDevice, fromInode);
        Inode to = new Inode(toDevice, toInode);
        byInode.put(to, byInode.get(from));
        byName.replaceAll((name, made) -> made.inode().equals(from) ? new Made(made.entry(), made.sha256(), to) : made);
    }

    /** The content digest of the regular file with this inode, or null when it was not unpacked here. */
    synchronized byte[] of(long device, long inode) {
        return byInode.get(new Inode(device, inode));
    }

    private synchronized Made made(String relative) {
        return byName.get(relative);
    }
}
