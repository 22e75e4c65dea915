package dev.berth.testkit.registry;

import java.util.List;

/** An index (manifest list) and the platform images it lists, in order. */
public record PushedIndex(String reference, String indexDigest, List<PushedImage> images) {}
