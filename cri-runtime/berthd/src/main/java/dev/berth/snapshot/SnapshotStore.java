package dev.berth.snapshot;

import dev.berth.image.Digest;
import dev.berth.store.AtomicFiles;
import dev.berth.store.Directories;
import dev.berth.store.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Unpacked layers, one directory per chain ID: {@code <chainID>/fs} is an overlayfs lower dir and
 * {@code <chainID>/usage.json} its size. A snapshot is prepared under a temporary name and renamed into
 * place only when complete, so a snapshot that exists is whole.
 */
public final class SnapshotStore {

    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final Json json;

    public SnapshotStore(Path snapshotsRoot, Json json) throws IOException {
        this.root = snapshotsRoot;
        this.json = json;
        Directories.createPrivate(root);
    }

    public boolean exists(Digest chainId) {
        return Files.isDirectory(dir(chainId).resolve("fs"));
    }

    /** The lower directory to stack in an overlay mount. */
    public Path fsPath(Digest chainId) {
        return dir(chainId).resolve("fs");
    }

    public PreparedSnapshot prepare(Digest chainId) throws IOException {
        Path temp = root.resolve(TEMP_PREFIX + chainId.encoded() + "-" + UUID.randomUUID());
        // the snapshot's own dir is private too; fs keeps the layer's mode, it is the container's "/"
        Directories.createPrivate(temp);
        Files.createDirectories(temp.resolve("fs"));
        return new PreparedSnapshot(chainId, temp);
    }

    public SnapshotUsage usage(Digest chainId) {
        try {
            return json.read(dir(chainId).resolve("usage.json"), SnapshotUsage.class);
        } catch (IOException e) {
            return SnapshotUsage.NONE;
        }
    }

    public void delete(Digest chainId) throws IOException {
        Path doomed = root.resolve(TEMP_PREFIX + "rm-" + chainId.encoded() + "-" + UUID.randomUUID());
        try {
            Files.move(dir(chainId), doomed);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        Directories.deleteRecursively(doomed);
    }

    public Set<Digest> list() throws IOException {
        Set<Digest> result = new HashSet<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.map(d -> d.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .forEach(name -> result.add(new Digest("sha256", name)));
        }
        return result;
    }

    /** Removes snapshots that a killed berthd left half unpacked or half deleted. */
    public void sweepTemporaries() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (dir.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    Directories.deleteRecursively(dir);
                }
            }
        }
    }

    private Path dir(Digest chainId) {
        return root.resolve(chainId.encoded());
    }

    /** A snapshot being unpacked; invisible until {@link #commit}. */
    public final class PreparedSnapshot implements AutoCloseable {

        private final Digest chainId;
        private final Path temp;
        private boolean committed;

        private PreparedSnapshot(Digest chainId, Path temp) {
            this.chainId = chainId;
            this.temp = temp;
        }

        public Path fsPath() {
            return temp.resolve("fs");
        }

        public void commit(SnapshotUsage usage) throws IOException {
            json.writeAtomically(temp.resolve("usage.json"), usage);
            try {
                AtomicFiles.moveDurably(temp, dir(chainId));
                committed = true;
            } catch (IOException e) {
                // A concurrent unpack of the same chain ID already won: that snapshot is as good as ours.
                if (!exists(chainId)) {
                    throw e;
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                Directories.deleteRecursively(temp);
            }
        }
    }
}
