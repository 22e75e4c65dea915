package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chain IDs against fixed values computed outside this code base: each expected ID is the output of coreutils'
 * {@code printf '%s' "<chain ID of the layers below> <diff ID>" | sha256sum}, the recursion the OCI image spec
 * (config.md, "Layer ChainID") defines.
 */
class ChainIdsTest {

    @Test
    void firstChainIdIsTheDiffIdAndEachNextHashesParentSpaceDiffId() {
        // sha256 of "a", "b" and "c"
        Digest a = Digest.parse("sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
        Digest b = Digest.parse("sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d");
        Digest c = Digest.parse("sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6");

        List<Digest> chain = ChainIds.of(List.of(a, b, c));

        assertThat(chain)
                .containsExactly(
                        a,
                        Digest.parse("sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676"),
                        Digest.parse("sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106"));
    }

    @Test
    void matchesTheOciSpecExample() {
        // rootfs.diff_ids of the example image configuration in the OCI image spec's config.md
        Digest first = Digest.parse("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1");
        Digest second = Digest.parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

        List<Digest> chain = ChainIds.of(List.of(first, second));

        assertThat(chain)
                .containsExactly(
                        first, Digest.parse("sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f"));
    }
}
