package dev.berth.image.registry;

import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.reference.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes an image as the OCI distribution spec describes: each blob is asked for first (HEAD) and
 * skipped when the repository has it, else mounted from another repository of the same registry when
 * one is known to hold it, else uploaded (one PUT, or PATCH chunks then a closing PUT for large blobs);
 * blobs in parallel, bounded; the manifest last, its bytes as stored so its digest stays. Always to the
 * registry itself: mirrors are caches to pull from.
 */
public final class RegistryPusher {

    private static final Logger log = LoggerFactory.getLogger(RegistryPusher.class);
    private static final String OCTETS = "application/octet-stream";
    /** How often, in bytes, an upload's progress is told (and once at its end). */
    private static final long PROGRESS_STEP = 1L << 20;

    private final Supplier<RegistryConfig> registries;
    private final RegistryHttp http;
    private final Authenticator authenticator;
    private final ExecutorService executor;
    private final PushSettings settings;

    RegistryPusher(
            Supplier<RegistryConfig> registries,
            RegistryHttp http,
            Authenticator authenticator,
            ExecutorService executor,
            PushSettings settings) {
        this.registries = registries;
        this.http = http;
        this.authenticator = authenticator;
        this.executor = executor;
        this.settings = settings;
    }

    /** The manifest as stored: its exact bytes and media type. */
    public record Manifest(byte[] bytes, String mediaType) {}

    /** What the registry now has: the manifest's digest and size, under {@code reference} (tag or digest). */
    public record Pushed(Digest digest, long size, String reference) {}

    /**
     * @param mountSources repositories of {@code target}'s registry that hold these blobs (the image's other
     *     names there), tried for a cross-repository mount before uploading
     */
    public Pushed push(
            ImageReference target,
            Manifest manifest,
            List<PushBlob> blobs,
            List<String> mountSources,
            RegistryCredentials credentials,
            PushEvent.Listener listener)
            throws RegistryException {
        long started = System.nanoTime();
        List<String> sources = mountSources.stream()
                .filter(s -> !s.equals(target.repository()))
                .distinct()
                .toList();
        List<String> scopes = new ArrayList<>();
        scopes.add("repository:" + target.repository() + ":pull,push");
        sources.forEach(s -> scopes.add("repository:" + s + ":pull"));
        PushHttp requests = new PushHttp(
                http.client(),
                authenticator,
                registries.get().upstream(target.registry()),
                target.repository(),
                credentials,
                scopes,
                settings);
        pushBlobs(requests, blobs, sources, listener);
        Pushed pushed = putManifest(requests, target, manifest);
        log.info(
                "pushed {} ({} blobs) as {} in {} ms",
                target,
                blobs.size(),
                pushed.digest(),
                (System.nanoTime() - started) / 1_000_000);
        return pushed;
    }

    private void pushBlobs(PushHttp requests, List<PushBlob> blobs, List<String> sources, PushEvent.Listener listener)
            throws RegistryException {
        Semaphore slots = new Semaphore(settings.maxConcurrentUploads());
        List<Future<?>> uploads = new ArrayList<>();
        for (PushBlob blob : blobs) {
            uploads.add(executor.submit(() -> {
                slots.acquire();
                try {
                    pushBlob(requests, blob, sources, listener);
                    return null;
                } finally {
                    slots.release();
                }
            }));
        }
        try {
            for (Future<?> upload : uploads) {
                upload.get();
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RegistryException r -> throw r;
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default ->
                    throw new RegistryException(
                            RegistryException.Reason.UNREACHABLE,
                            "pushing a blob failed: " + e.getCause().getMessage(),
                            e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Reason.UNREACHABLE, "push interrupted", e);
        } finally {
            // one failed or cancelled blob ends the others: the push has failed
            uploads.forEach(u -> u.cancel(true));
        }
    }

    private void pushBlob(PushHttp requests, PushBlob blob, List<String> sources, PushEvent.Listener listener)
            throws RegistryException, IOException {
        Descriptor descriptor = blob.descriptor();
        Digest digest = descriptor.digest();
        long size = Files.size(blob.file());
        if (size != descriptor.size()) {
            throw new RegistryException(
                    RegistryException.Reason.INVALID,
                    "blob " + digest + " is " + size + " bytes on disk, its descriptor says " + descriptor.size());
        }
        URI blobUri = requests.resolve("blobs/" + digest);
        HttpResponse<byte[]> head = requests.send("HEAD", blobUri, null, Map.of(), 0);
        if (head.statusCode() == 200) {
            listener.onEvent(new PushEvent(PushEvent.Kind.EXISTS, digest, size, size, null));
            return;
        }
        if (head.statusCode() != 404) {
            throw requests.refused("HEAD of blob " + digest, head);
        }
        URI uploads = requests.resolve("blobs/uploads/");
        HttpResponse<byte[]> started = null;
        for (String source : sources) {
            URI mount = URI.create(uploads + "?mount=" + encode(digest.toString()) + "&from=" + encode(source));
            started = requests.send("POST", mount, null, Map.of(), 0);
            if (started.statusCode() == 201) {
                listener.onEvent(new PushEvent(PushEvent.Kind.MOUNTED, digest, size, size, source));
                return;
            }
            if (started.statusCode() == 202) {
                // the registry could not mount and opened an upload instead, which the spec says to use
                break;
            }
            log.debug("mounting {} from {} refused: HTTP {}", digest, source, started.statusCode());
            started = null;
        }
        if (started == null) {
            started = requests.send("POST", uploads, null, Map.of(), 0);
        }
        if (started.statusCode() != 202) {
            throw requests.refused("starting the upload of blob " + digest, started);
        }
        URI location = requests.follow(uploads, started);
        if (size > settings.chunkedAbove()) {
            location = patchChunks(requests, blob, location, size, listener);
            close(requests, location, digest, null, 0, listener, size);
        } else {
            close(requests, location, digest, blob, size, listener, size);
        }
        listener.onEvent(new PushEvent(PushEvent.Kind.PUSHED, digest, size, size, null));
    }

    /** Sends the blob in PATCH chunks, each where the last one's Location points; returns the last Location. */
    private URI patchChunks(PushHttp requests, PushBlob blob, URI location, long size, PushEvent.Listener listener)
            throws RegistryException {
        Digest digest = blob.descriptor().digest();
        long offset = 0;
        while (offset < size) {
            long length = Math.min(settings.chunkSize(), size - offset);
            long end = offset + length - 1;
            long from = offset;
            HttpResponse<byte[]> response = requests.send(
                    "PATCH",
                    location,
                    () -> BlobBody.of(blob.file(), from, length, progress(listener, digest, from, size)),
                    Map.of("Content-Type", OCTETS, "Content-Range", from + "-" + end),
                    length);
            if (response.statusCode() != 202) {
                throw requests.refused("chunk " + from + "-" + end + " of blob " + digest, response);
            }
            String range = response.headers().firstValue("Range").orElse("0-" + end);
            if (!range.equals("0-" + end) && !range.equals("bytes=0-" + end)) {
                throw new RegistryException(
                        RegistryException.Reason.INVALID,
                        "after chunk " + from + "-" + end + " of blob " + digest + " the registry has range " + range);
            }
            location = requests.follow(location, response);
            offset = end + 1;
        }
        return location;
    }

    /** The closing PUT with the digest; with the whole body for a monolithic upload, empty after chunks. */
    private void close(
            PushHttp requests,
            URI location,
            Digest digest,
            PushBlob body,
            long length,
            PushEvent.Listener listener,
            long size)
            throws RegistryException {
        String query = location.getRawQuery();
        URI put = URI.create(location + (query == null ? "?" : "&") + "digest=" + encode(digest.toString()));
        HttpResponse<byte[]> response = requests.send(
                "PUT",
                put,
                body == null ? null : () -> BlobBody.of(body.file(), 0, length, progress(listener, digest, 0, size)),
                Map.of("Content-Type", OCTETS),
                body == null ? 0 : length);
        if (response.statusCode() != 201) {
            throw requests.refused("completing the upload of blob " + digest, response);
        }
    }

    private Pushed putManifest(PushHttp requests, ImageReference target, Manifest manifest) throws RegistryException {
        Digest digest = Digest.sha256(manifest.bytes());
        String reference = target.tag() != null && target.digest() == null ? target.tag() : digest.toString();
        if (target.digest() != null && !target.digest().equals(digest)) {
            throw new RegistryException(
                    RegistryException.Reason.INVALID,
                    "the image's manifest has digest " + digest + ", not " + target.digest() + " as named");
        }
        HttpResponse<byte[]> response = requests.send(
                "PUT",
                requests.resolve("manifests/" + reference),
                () -> HttpRequest.BodyPublishers.ofByteArray(manifest.bytes()),
                Map.of("Content-Type", manifest.mediaType()),
                manifest.bytes().length);
        if (response.statusCode() != 201) {
            throw requests.refused("manifest " + target, response);
        }
        String claimed = response.headers().firstValue("Docker-Content-Digest").orElse(digest.toString());
        if (!claimed.equals(digest.toString())) {
            throw new RegistryException(
                    RegistryException.Reason.DIGEST_MISMATCH,
                    "the registry stored manifest " + target + " as " + claimed + ", its bytes are " + digest);
        }
        return new Pushed(digest, manifest.bytes().length, reference);
    }

    /** Progress of one request's body, told every {@value #PROGRESS_STEP} bytes and at its end. */
    private static java.util.function.LongConsumer progress(
            PushEvent.Listener listener, Digest digest, long base, long size) {
        long[] told = {-1};
        return sent -> {
            long offset = base + sent;
            if (offset - told[0] >= PROGRESS_STEP || offset == size) {
                told[0] = offset;
                listener.onEvent(new PushEvent(PushEvent.Kind.UPLOADING, digest, offset, size, null));
            }
        };
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
