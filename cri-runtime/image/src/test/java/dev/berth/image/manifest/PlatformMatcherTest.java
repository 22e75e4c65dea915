package dev.berth.image.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformMatcherTest {

    private static Descriptor entry(String name, Platform platform, Map<String, String> annotations) {
        return new Descriptor(
                MediaTypes.OCI_MANIFEST,
                Digest.sha256(name.getBytes(StandardCharsets.UTF_8)),
                100,
                platform,
                annotations);
    }

    private static final Descriptor AMD64 = entry("amd64", new Platform("linux", "amd64", null), Map.of());
    private static final Descriptor ARM64 = entry("arm64", new Platform("linux", "arm64", "v8"), Map.of());
    private static final Descriptor ARMV6 = entry("armv6", new Platform("linux", "arm", "v6"), Map.of());
    private static final Descriptor ARMV7 = entry("armv7", new Platform("linux", "arm", "v7"), Map.of());
    private static final Descriptor WINDOWS = entry("windows", new Platform("windows", "amd64", null), Map.of());
    private static final Descriptor ATTESTATION = entry(
            "att",
            new Platform("unknown", "unknown", null),
            Map.of("vnd.docker.reference.type", "attestation-manifest"));

    private static final ImageIndex INDEX =
            new ImageIndex(MediaTypes.OCI_INDEX, List.of(ATTESTATION, WINDOWS, ARMV6, ARMV7, ARM64, AMD64));

    @Test
    void picksTheNodesOsAndArchitecture() {
        assertThat(PlatformMatcher.select(INDEX, new Platform("linux", "amd64", null)))
                .contains(AMD64);
    }

    @Test
    void arm64MatchesEntriesWithOrWithoutV8() {
        ImageIndex noVariant = new ImageIndex(
                MediaTypes.OCI_INDEX, List.of(entry("a", new Platform("linux", "arm64", null), Map.of())));

        assertThat(PlatformMatcher.select(INDEX, new Platform("linux", "arm64", "v8")))
                .contains(ARM64);
        assertThat(PlatformMatcher.select(noVariant, new Platform("linux", "arm64", "v8")))
                .isPresent();
    }

    @Test
    void armV7PrefersItsOwnVariantAndFallsBackToOlderOnes() {
        assertThat(PlatformMatcher.select(INDEX, new Platform("linux", "arm", "v7")))
                .contains(ARMV7);
        ImageIndex onlyV6 = new ImageIndex(MediaTypes.OCI_INDEX, List.of(ARMV6));
        assertThat(PlatformMatcher.select(onlyV6, new Platform("linux", "arm", "v7")))
                .contains(ARMV6);
        assertThat(PlatformMatcher.select(
                        new ImageIndex(MediaTypes.OCI_INDEX, List.of(ARMV7)), new Platform("linux", "arm", "v6")))
                .isEmpty();
    }

    @Test
    void neverPicksAttestationsOrOtherOperatingSystems() {
        ImageIndex index = new ImageIndex(MediaTypes.OCI_INDEX, List.of(ATTESTATION, WINDOWS));

        Optional<Descriptor> chosen = PlatformMatcher.select(index, new Platform("linux", "amd64", null));

        assertThat(chosen).isEmpty();
    }
}
