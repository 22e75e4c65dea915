package dev.berth.imagestore;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.content.ContentStore;
import dev.berth.image.Digest;
import dev.berth.image.manifest.Descriptor;
import dev.berth.image.manifest.ImageManifest;
import dev.berth.image.manifest.ManifestParser;
import dev.berth.image.manifest.UnsupportedManifestException;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.image.registry.PushBlob;
import dev.berth.image.registry.PushEvent;
import dev.berth.image.registry.RegistryCredentials;
import dev.berth.image.registry.RegistryException;
import dev.berth.image.registry.RegistryPusher;
import dev.berth.store.NotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes a stored image under one of its names: the blobs straight from the content store files, the
 * manifest's bytes as pulled, so the registry gets the digest berthd has; layers berthd built (stored as plain
 * tar) go up gzipped, under a manifest of their own ({@link PushLayers}). Blobs are leased while they go
 * up, so removing the image meanwhile cannot collect them. The image's other names on the same registry
 * are where a blob may be mounted from. A pushed image gets the digest name it has in the registry.
 */
public final class PushService {

    private final ImageLookup images;
    private final ImageStore store;
    private final ContentStore content;
    private final Leases leases;
    private final RegistryPusher pusher;
    private final PushCompression compression;
    private final ObjectMapper mapper;
    private final ManifestParser parser = new ManifestParser();

    public PushService(
            ImageLookup images,
            ImageStore store,
            ContentStore content,
            Leases leases,
            RegistryPusher pusher,
            PushCompression compression,
            ObjectMapper mapper) {
        this.images = images;
        this.store = store;
        this.content = content;
        this.leases = leases;
        this.pusher = pusher;
        this.compression = compression;
        this.mapper = mapper;
    }

    public RegistryPusher.Pushed push(String name, RegistryCredentials credentials, PushEvent.Listener listener)
            throws InvalidReferenceException, NotFoundException, PushException, IOException {
        ImageReference target = ImageReference.parse(name);
        ImageRecord image = images.find(target.toString()).orElseThrow(() -> new NotFoundException("image", name));
        List<String> leased = new ArrayList<>();
        leased.add(image.manifestDigest());
        leased.add(image.configDigest());
        image.layers().forEach(l -> leased.add(l.digest()));
        try (Leases.Lease lease = leases.acquire(leased)) {
            Digest manifestDigest = Digest.parse(image.manifestDigest());
            byte[] manifest = content.read(manifestDigest)
                    .orElseThrow(() -> new PushException(
                            PushException.Kind.INCOMPLETE_IMAGE,
                            "the manifest " + manifestDigest + " of " + image.id() + " is not stored"));
            ImageManifest parsed = parse(image, manifest);
            List<PushBlob> blobs = new ArrayList<>();
            blobs.add(blob(image, parsed.config()));
            for (Descriptor layer : parsed.layers()) {
                requireStored(image, layer);
            }
            try (PushLayers layers = PushLayers.of(manifest, parsed, content, compression, mapper)) {
                blobs.addAll(layers.layers());
                RegistryPusher.Pushed pushed = pusher.push(
                        target,
                        new RegistryPusher.Manifest(layers.manifest(), image.manifestMediaType()),
                        blobs,
                        mountSources(image, target),
                        credentials,
                        listener);
                // as docker records it: the image now has a digest name there, and a later push may mount from it
                store.tag(image, List.of(), List.of(target.name() + "@" + pushed.digest()));
                return pushed;
            }
        } catch (RegistryException e) {
            throw PushException.from(target, e);
        }
    }

    /** The descriptors as the manifest itself has them: what the registry checks the blobs against. */
    private ImageManifest parse(ImageRecord image, byte[] manifest) throws PushException {
        try {
            if (parser.parse(manifest, image.manifestMediaType()) instanceof ImageManifest parsed) {
                return parsed;
            }
        } catch (UnsupportedManifestException | IllegalArgumentException e) {
            throw new PushException(
                    PushException.Kind.INTERNAL, "the stored manifest of " + image.id() + " does not parse", e);
        }
        throw new PushException(
                PushException.Kind.INTERNAL, "the stored manifest of " + image.id() + " is not an image manifest");
    }

    private PushBlob blob(ImageRecord image, Descriptor descriptor) throws PushException {
        requireStored(image, descriptor);
        return new PushBlob(descriptor, content.path(descriptor.digest()));
    }

    private void requireStored(ImageRecord image, Descriptor descriptor) throws PushException {
        if (!content.contains(descriptor.digest())) {
            throw new PushException(
                    PushException.Kind.INCOMPLETE_IMAGE,
                    "blob " + descriptor.digest() + " of image " + image.id() + " is not in the content store");
        }
    }

    /** Repositories of the target's registry that got this image's blobs when it was pulled or pushed there. */
    private static List<String> mountSources(ImageRecord image, ImageReference target) {
        List<String> sources = new ArrayList<>();
        for (String reference : image.references()) {
            try {
                ImageReference other = ImageReference.parse(reference);
                if (other.registry().equals(target.registry())
                        && !other.repository().equals(target.repository())) {
                    sources.add(other.repository());
                }
            } catch (InvalidReferenceException e) {
                // a stored name berthd made itself always parses; nothing to mount from if not
            }
        }
        return sources.stream().distinct().toList();
    }
}
