package dev.berth.testkit.registry;

import java.util.List;

/** What {@link ImagePusher#pushImage} stored: digests are "sha256:<hex>" strings. */
public record PushedImage(
        String reference,
        String manifestDigest,
        String configDigest,
        List<String> layerDigests,
        List<String> diffIds,
        byte[] manifest,
        byte[] config,
        long size) {}
