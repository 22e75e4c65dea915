package dev.berth.content;

import dev.berth.image.Digest;
import dev.berth.store.AtomicFiles;
import dev.berth.store.Directories;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs (manifests, configs, compressed layers) by digest. A blob becomes visible under its digest only
 * after it was verified and fsynced; writes in progress live in {@code ingest/} and are swept on start.
 */
public final class ContentStore {

    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path contentRoot) throws IOException {
        this.blobs = contentRoot.resolve("blobs");
        this.ingest = contentRoot.resolve("ingest");
        Directories.createPrivate(blobs.resolve("sha256"));
        Directories.createPrivate(ingest);
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.encoded());
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public Optional<byte[]> read(Digest digest) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Stores {@code data} under {@code digest} after checking that it really has that digest. */
    public void write(Digest digest, byte[] data) throws IOException, ContentDigestMismatchException {
        Digest actual = Digest.sha256(data);
        if (!actual.equals(digest)) {
            throw new ContentDigestMismatchException(digest, actual);
        }
        if (!contains(digest)) {
            AtomicFiles.write(path(digest), data);
        }
    }

    /** Opens a writer for a blob that arrives as a stream; see {@link BlobIngest}. */
    public BlobIngest ingest(Digest expected, long expectedSize) throws IOException {
        Path temp = ingest.resolve(expected.encoded() + "-" + UUID.randomUUID());
        OutputStream out = Channels.newOutputStream(FileChannel.open(
                temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), AtomicFiles.PRIVATE));
        return new BlobIngest(expected, expectedSize, temp, out, path(expected));
    }

    /**
     * A new empty file in the ingest area for a blob whose digest is only known once it is written (a layer
     * being built); {@link #adopt} publishes it. A killed berthd's leftovers are swept on start.
     */
    public Path newIngestFile() throws IOException {
        Path temp = ingest.resolve("build-" + UUID.randomUUID());
        Files.createFile(temp, AtomicFiles.PRIVATE);
        return temp;
    }

    /**
     * Makes a file from {@link #newIngestFile} the blob {@code digest}, fsynced. The caller computed the
     * digest while writing every byte of it, so it is not read again.
     */
    public void adopt(Path temp, Digest digest) throws IOException {
        if (!temp.getParent().equals(ingest)) {
            throw new IllegalArgumentException(temp + " is not an ingest file of this store");
        }
        if (contains(digest)) {
            Files.delete(temp);
            return;
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        AtomicFiles.moveDurably(temp, path(digest));
    }

    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    public Set<Digest> list() throws IOException {
        Set<Digest> result = new HashSet<>();
        try (Stream<Path> algorithms = Files.list(blobs)) {
            for (Path algorithmDir : (Iterable<Path>) algorithms::iterator) {
                try (Stream<Path> files = Files.list(algorithmDir)) {
                    files.filter(f -> !f.getFileName().toString().startsWith("."))
                            .forEach(f -> result.add(new Digest(
                                    algorithmDir.getFileName().toString(),
                                    f.getFileName().toString())));
                }
            }
        }
        return result;
    }

    public long sizeOf(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes writes that a killed berthd left half done. */
    public void sweepIngests() throws IOException {
        try (Stream<Path> leftovers = Files.list(ingest)) {
            for (Path leftover : (Iterable<Path>) leftovers::iterator) {
                Directories.deleteRecursively(leftover);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
