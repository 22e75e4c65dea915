package dev.berth.imagestore;

import dev.berth.content.BlobIngest;
import dev.berth.content.ContentDigestMismatchException;
import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryException;
import dev.berth.image.registry.ResolvedImage;
import dev.berth.snapshot.LayerDecompression;
import dev.berth.snapshot.LayerUnpacker;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.snapshot.SnapshotUsage;
import dev.berth.snapshot.UnpackStats;
import dev.berth.sys.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one layer in, in a single pass: the registry's stream is hashed and written to the content
 * store while it is decompressed, hashed again (the diff ID) and unpacked into a snapshot. Only when
 * both digests match do the blob and the snapshot become visible.
 */
final class LayerFetcher {

    private static final Logger log = LoggerFactory.getLogger(LayerFetcher.class);
    private static final int DRAIN_BUFFER = 64 * 1024;

    private final RegistryClient registry;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final LayerUnpacker unpacker;

    LayerFetcher(RegistryClient registry, ContentStore content, SnapshotStore snapshots, LayerUnpacker unpacker) {
        this.registry = registry;
        this.content = content;
        this.snapshots = snapshots;
        this.unpacker = unpacker;
    }

    /**
     * {@code progress} hears of every compressed byte read and of each step.
     *
     * @return the bytes read from the registry: 0 when the blob was in the content store already
     */
    long fetch(
            ResolvedImage image,
            Descriptor layer,
            Digest diffId,
            Digest chainId,
            RegistryCredentials credentials,
            LayerProgress progress)
            throws IOException, RegistryException, ContentDigestMismatchException {
        long started = System.nanoTime();
        boolean blobStored = content.contains(layer.digest());
        progress.moveTo(blobStored ? LayerState.EXTRACTING : LayerState.DOWNLOADING);
        try (InputStream body = new CountingInputStream(
                        blobStored
                                ? Files.newInputStream(content.path(layer.digest()))
                                : registry.openBlob(image, layer, credentials),
                        progress::read);
                BlobIngest ingest = blobStored ? null : content.ingest(layer.digest(), layer.size());
                SnapshotStore.PreparedSnapshot snapshot = snapshots.prepare(chainId)) {
            InputStream compressed = ingest == null ? body : ingest.tee(body);
            try (DigestInputStream uncompressed =
                    new DigestInputStream(LayerDecompression.open(compressed, layer.mediaType()), Sha256.newDigest())) {
                UnpackStats stats;
                try {
                    stats = unpacker.unpack(uncompressed, snapshot.fsPath());
                    drain(uncompressed);
                } catch (IOException e) {
                    throw explainUnpackFailure(layer, ingest, compressed, e);
                }
                drain(compressed);
                progress.moveTo(LayerState.VERIFYING);
                Digest actualDiffId = Digest.sha256OfHex(
                        HexFormat.of().formatHex(uncompressed.getMessageDigest().digest()));
                if (ingest != null) {
                    ingest.verify();
                }
                if (!actualDiffId.equals(diffId)) {
                    throw new ContentDigestMismatchException(
                            diffId,
                            "layer " + layer.digest() + " unpacks to diff ID " + actualDiffId
                                    + ", the image config says " + diffId);
                }
                if (ingest != null) {
                    ingest.commit();
                }
                snapshot.commit(new SnapshotUsage(stats.bytes(), stats.entries()));
                progress.complete();
            }
            log.debug(
                    "layer {} ({} bytes) unpacked as {} in {} ms",
                    layer.digest(),
                    layer.size(),
                    chainId,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return blobStored ? 0 : layer.size();
    }

    /**
     * A layer that will not decompress or untar is usually a corrupted download: read the rest, and if
     * the bytes do not match their digest say so (DATA_LOSS), else blame the layer itself.
     */
    private static IOException explainUnpackFailure(
            Descriptor layer, BlobIngest ingest, InputStream compressed, IOException failure)
            throws ContentDigestMismatchException, IOException {
        if (failure instanceof dev.berth.snapshot.LayerRejectedException || ingest == null) {
            return failure;
        }
        try {
            drain(compressed);
        } catch (IOException readFailure) {
            return failure;
        }
        ingest.verify();
        return new CorruptLayerException(layer.digest(), failure);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[DRAIN_BUFFER];
        while (in.read(sink) >= 0) {
            // the digest covers every byte, including tar padding and trailing compressed frames
        }
    }
}
