package dev.berth.build.layer;

import dev.berth.image.Digest;

/**
 * A written layer: {@code diffId} is the sha256 of the uncompressed tar (the image config's
 * {@code rootfs.diff_ids}), {@code digest} and {@code size} those of the blob stored (the manifest's layer
 * descriptor): the same tar, media type {@code application/vnd.oci.image.layer.v1.tar}.
 */
public record LayerBlob(Digest diffId, Digest digest, long size) {}
