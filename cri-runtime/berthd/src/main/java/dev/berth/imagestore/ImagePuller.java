package dev.berth.imagestore;

import dev.berth.content.ContentDigestMismatchException;
import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.ImageConfig;
import dev.berth.image.manifest.ImageManifest;
import dev.berth.image.manifest.Platform;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryException;
import dev.berth.image.registry.ResolvedImage;
import dev.berth.image.registry.StalledReadException;
import dev.berth.metrics.PullMetrics;
import dev.berth.snapshot.ChainIds;
import dev.berth.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls an image: resolve, fetch the config, bring in the missing layers in parallel (bounded), then
 * record the image. Concurrent pulls of one reference share one pull; concurrent pulls of images that
 * share a layer share that layer's download. A pull (and a layer download) lasts only as long as someone
 * waits for it: when its last caller has gone it is interrupted, its temp files removed with it.
 */
public final class ImagePuller {

    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);

    private final RegistryClient registry;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final ImageStore images;
    private final LayerFetcher layers;
    private final Leases leases;
    private final Platform platform;
    private final Semaphore downloadSlots;
    private final SharedWork<String, PullWatch, Pulled> pullsInFlight;
    private final SharedWork<Digest, LayerProgress, Void> layersInFlight;
    private final PullMetrics metrics;

    public ImagePuller(
            RegistryClient registry,
            ContentStore content,
            SnapshotStore snapshots,
            ImageStore images,
            dev.berth.snapshot.LayerUnpacker unpacker,
            Leases leases,
            Platform platform,
            int maxConcurrentDownloads,
            ExecutorService executor,
            PullMetrics metrics) {
        this.registry = registry;
        this.content = content;
        this.snapshots = snapshots;
        this.images = images;
        this.layers = new LayerFetcher(registry, content, snapshots, unpacker);
        this.leases = leases;
        this.platform = platform;
        this.pullsInFlight = new SharedWork<>(executor);
        this.layersInFlight = new SharedWork<>(executor);
        this.downloadSlots = new Semaphore(maxConcurrentDownloads);
        this.metrics = metrics;
    }

    /** A pull's result, whose orphans go to exactly one of the callers that shared it. */
    private record Pulled(PullResult result, AtomicBoolean orphansClaimed) {}

    /**
     * @param caller tells when this caller has gone; the pull is cancelled once every caller sharing it has
     * @param watcher is handed the pull's progress before this call waits for it (the running pull's, if any)
     * @return the image record as stored, and the images that lost their last name to it (to be deleted)
     */
    public PullResult pull(
            ImageReference reference, RegistryCredentials credentials, Caller caller, Consumer<PullWatch> watcher)
            throws PullException {
        SharedWork<String, PullWatch, Pulled>.Share share = pullsInFlight.join(
                reference.toString(),
                PullWatch::new,
                watch -> () -> new Pulled(measuredPull(reference, credentials, watch), new AtomicBoolean()));
        watcher.accept(share.companion());
        caller.whenGone(share::leave);
        try {
            Pulled pulled = share.await();
            return pulled.orphansClaimed().compareAndSet(false, true)
                    ? pulled.result()
                    : new PullResult(pulled.result().image(), List.of());
        } catch (CancellationException e) {
            throw new PullException(
                    PullException.Kind.CANCELLED, "pull of " + reference + " cancelled: its caller has gone", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PullException pull) {
                throw pull;
            }
            throw new PullException(PullException.Kind.INTERNAL, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            share.leave();
            Thread.currentThread().interrupt();
            throw new PullException(PullException.Kind.CANCELLED, "interrupted while waiting for a pull", e);
        }
    }

    /** One pull however many callers share it: its time when it lands, its reason when it fails. */
    private PullResult measuredPull(ImageReference reference, RegistryCredentials credentials, PullWatch watch)
            throws PullException {
        long started = System.nanoTime();
        try {
            PullResult result = doPull(reference, credentials, watch);
            metrics.pulled(reference.registry(), System.nanoTime() - started);
            return result;
        } catch (PullException e) {
            // a pull whose callers have all gone is interrupted, whatever the failure it surfaced as
            PullException.Kind kind = Thread.currentThread().isInterrupted() ? PullException.Kind.CANCELLED : e.kind();
            metrics.failed(reference.registry(), kind.name().toLowerCase(Locale.ROOT));
            throw e;
        } catch (RuntimeException e) {
            metrics.failed(reference.registry(), "internal");
            throw e;
        }
    }

    private PullResult doPull(ImageReference reference, RegistryCredentials credentials, PullWatch watch)
            throws PullException {
        long started = System.nanoTime();
        try {
            ResolvedImage resolved = registry.resolve(reference, credentials, platform);
            metrics.downloaded(reference.registry(), resolved.manifestBytes().length);
            ImageManifest manifest = resolved.manifest();
            List<String> leased = new ArrayList<>();
            leased.add(resolved.manifestDigest().toString());
            leased.add(manifest.config().digest().toString());
            manifest.layers().forEach(l -> leased.add(l.digest().toString()));
            try (Leases.Lease blobLease = leases.acquire(leased)) {
                ImageConfig config = fetchConfig(resolved, credentials);
                if (config.diffIds().size() != manifest.layers().size()) {
                    throw new PullException(
                            PullException.Kind.INVALID_IMAGE,
                            "image " + reference + " has " + manifest.layers().size() + " layers but its config lists "
                                    + config.diffIds().size() + " diff IDs");
                }
                List<Digest> chainIds = ChainIds.of(config.diffIds());
                try (Leases.Lease snapshotLease =
                        leases.acquire(chainIds.stream().map(Digest::toString).toList())) {
                    fetchLayers(resolved, config.diffIds(), chainIds, credentials, watch);
                    content.write(resolved.manifestDigest(), resolved.manifestBytes());
                    ImageRecord record = record(resolved, config, chainIds);
                    List<String> digests = List.of(reference.name() + "@" + resolved.digest());
                    List<String> tags = reference.digest() == null ? List.of(reference.toString()) : List.of();
                    List<ImageRecord> orphaned = images.tag(record, tags, digests);
                    ImageRecord stored = images.byId(record.id()).orElse(record);
                    log.info(
                            "pulled {} as {} ({} layers, {} bytes) in {} ms",
                            reference,
                            stored.id(),
                            manifest.layers().size(),
                            manifest.totalSize(),
                            (System.nanoTime() - started) / 1_000_000);
                    return new PullResult(stored, orphaned);
                }
            }
        } catch (RegistryException e) {
            throw PullException.from(reference, e);
        } catch (ContentDigestMismatchException e) {
            throw new PullException(
                    PullException.Kind.DIGEST_MISMATCH, "pulling " + reference + ": " + e.getMessage(), e);
        } catch (dev.berth.snapshot.UnsupportedLayerException e) {
            throw new PullException(PullException.Kind.UNSUPPORTED, "pulling " + reference + ": " + e.getMessage(), e);
        } catch (dev.berth.snapshot.LayerRejectedException | CorruptLayerException e) {
            throw new PullException(
                    PullException.Kind.INVALID_IMAGE, "pulling " + reference + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new PullException(
                    PullException.Kind.INVALID_IMAGE, "pulling " + reference + ": " + e.getMessage(), e);
        } catch (IOException e) {
            StalledReadException stall = stallIn(e);
            if (stall != null) {
                throw new PullException(
                        PullException.Kind.UNAVAILABLE, "pulling " + reference + ": " + stall.getMessage(), e);
            }
            throw new PullException(PullException.Kind.INTERNAL, "pulling " + reference + ": " + e, e);
        }
    }

    /** Decompressors and the unpacker may wrap the stalled read; the stall is what the client must hear. */
    private static StalledReadException stallIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StalledReadException stall) {
                return stall;
            }
        }
        return null;
    }

    private ImageConfig fetchConfig(ResolvedImage resolved, RegistryCredentials credentials)
            throws IOException, RegistryException, ContentDigestMismatchException {
        Descriptor descriptor = resolved.manifest().config();
        byte[] bytes = content.read(descriptor.digest()).orElse(null);
        if (bytes == null) {
            bytes = registry.fetchBlob(resolved, descriptor, credentials);
            metrics.downloaded(resolved.reference().registry(), bytes.length);
            content.write(descriptor.digest(), bytes);
        }
        return ImageConfig.parse(bytes);
    }

    private void fetchLayers(
            ResolvedImage resolved,
            List<Digest> diffIds,
            List<Digest> chainIds,
            RegistryCredentials credentials,
            PullWatch watch)
            throws IOException, RegistryException, ContentDigestMismatchException {
        List<SharedWork<Digest, LayerProgress, Void>.Share> pending = new ArrayList<>();
        List<LayerProgress> progress = new ArrayList<>();
        List<Descriptor> descriptors = resolved.manifest().layers();
        for (int i = 0; i < descriptors.size(); i++) {
            Digest chainId = chainIds.get(i);
            Descriptor layer = descriptors.get(i);
            if (snapshots.exists(chainId)) {
                progress.add(LayerProgress.alreadyThere(layer.digest().toString(), layer.size()));
                continue;
            }
            Digest diffId = diffIds.get(i);
            // another image's pull may be bringing this layer in already: then its progress is this pull's too
            SharedWork<Digest, LayerProgress, Void>.Share share = layersInFlight.join(
                    chainId,
                    () -> new LayerProgress(layer.digest().toString(), layer.size(), LayerState.WAITING),
                    layerProgress -> () -> {
                        fetchBounded(resolved, layer, diffId, chainId, credentials, layerProgress);
                        return null;
                    });
            pending.add(share);
            progress.add(share.companion());
        }
        watch.layers(progress);
        Throwable first = null;
        try {
            for (SharedWork<Digest, LayerProgress, Void>.Share layer : pending) {
                try {
                    layer.await();
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("pull cancelled", e);
        } finally {
            // a cancelled pull lets go of its layers; one nobody else waits for stops downloading
            pending.forEach(SharedWork.Share::leave);
        }
        rethrow(first);
    }

    private void fetchBounded(
            ResolvedImage resolved,
            Descriptor layer,
            Digest diffId,
            Digest chainId,
            RegistryCredentials credentials,
            LayerProgress progress)
            throws Exception {
        downloadSlots.acquire();
        try {
            if (snapshots.exists(chainId)) {
                progress.complete();
            } else {
                metrics.downloaded(
                        resolved.reference().registry(),
                        layers.fetch(resolved, layer, diffId, chainId, credentials, progress));
            }
        } finally {
            downloadSlots.release();
        }
    }

    private static void rethrow(Throwable failure)
            throws IOException, RegistryException, ContentDigestMismatchException {
        switch (failure) {
            case null -> {}
            case IOException e -> throw e;
            case RegistryException e -> throw e;
            case ContentDigestMismatchException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException(failure);
        }
    }

    private ImageRecord record(ResolvedImage resolved, ImageConfig config, List<Digest> chainIds) {
        ImageManifest manifest = resolved.manifest();
        List<LayerRecord> layerRecords = new ArrayList<>();
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor layer = manifest.layers().get(i);
            layerRecords.add(new LayerRecord(
                    layer.digest().toString(),
                    layer.mediaType(),
                    layer.size(),
                    config.diffIds().get(i).toString(),
                    chainIds.get(i).toString()));
        }
        String platformName = config.os() + "/" + config.architecture()
                + (config.variant() == null || config.variant().isEmpty() ? "" : "/" + config.variant());
        return new ImageRecord(
                manifest.config().digest().toString(),
                List.of(),
                List.of(),
                resolved.manifestDigest().toString(),
                manifest.mediaType(),
                manifest.config().digest().toString(),
                layerRecords,
                manifest.totalSize(),
                platformName,
                System.currentTimeMillis() * 1_000_000L);
    }

    public record PullResult(ImageRecord image, List<ImageRecord> orphaned) {}
}
