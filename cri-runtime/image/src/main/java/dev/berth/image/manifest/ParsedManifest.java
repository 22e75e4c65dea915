package dev.berth.image.manifest;

/** What a manifest endpoint returns: an index of platform manifests, or one image manifest. */
public sealed interface ParsedManifest permits ImageIndex, ImageManifest {

    String mediaType();
}
