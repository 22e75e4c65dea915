package dev.berth.image.manifest;

import java.util.List;
import java.util.Optional;

/**
 * Picks the manifest for a platform from an index with containerd's rules: OS and architecture must
 * match; among variants the wanted one is best, then compatible older ones (arm v7 runs v6 and v5;
 * arm64 is v8 whether or not the entry says so). Attestation manifests are never picked.
 */
public final class PlatformMatcher {

    private PlatformMatcher() {}

    public static Optional<Descriptor> select(ImageIndex index, Platform want) {
        List<String> variants = acceptableVariants(want);
        Descriptor best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Descriptor candidate : index.manifests()) {
            Platform p = candidate.platform();
            if (p == null
                    || isAttestation(candidate)
                    || !want.os().equals(p.os())
                    || !want.architecture().equals(p.architecture())) {
                continue;
            }
            int rank = variants.indexOf(normalisedVariant(p));
            if (rank >= 0 && rank < bestRank) {
                best = candidate;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean isAttestation(Descriptor d) {
        return "attestation-manifest".equals(d.annotations().get("vnd.docker.reference.type"))
                || "unknown".equals(d.platform().os());
    }

    private static String normalisedVariant(Platform p) {
        String v = p.variant() == null ? "" : p.variant();
        if (p.architecture().equals("arm64") && v.equals("v8")) {
            return "";
        }
        if (p.architecture().equals("amd64") && v.equals("v1")) {
            return "";
        }
        return v;
    }

    private static List<String> acceptableVariants(Platform want) {
        String v = want.variant() == null ? "" : want.variant();
        return switch (want.architecture()) {
            case "arm64" -> List.of("");
            case "amd64" ->
                switch (v) {
                    case "v4" -> List.of("v4", "v3", "v2", "");
                    case "v3" -> List.of("v3", "v2", "");
                    case "v2" -> List.of("v2", "");
                    default -> List.of("");
                };
            case "arm" ->
                switch (v) {
                    case "v8" -> List.of("v8", "v7", "v6", "v5");
                    case "v7", "" -> List.of("v7", "v6", "v5");
                    case "v6" -> List.of("v6", "v5");
                    default -> List.of(v);
                };
            default -> List.of(v);
        };
    }
}
