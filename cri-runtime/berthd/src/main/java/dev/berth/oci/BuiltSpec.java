package dev.berth.oci;

import java.util.List;

/**
 * A finished runtime spec.
 *
 * @param configJson the bytes to write as the bundle's config.json
 * @param user       the identity the process runs as (for status, exec and file ownership)
 * @param args       the process argv, as resolved from the CRI request and the image
 */
public record BuiltSpec(byte[] configJson, ResolvedUser user, List<String> args) {

    public BuiltSpec {
        args = List.copyOf(args);
    }
}
