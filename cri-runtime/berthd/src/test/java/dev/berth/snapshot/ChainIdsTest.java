package dev.berth.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdsTest {

    @Test
    void firstChainIdIsTheDiffIdAndEachNextHashesParentSpaceDiffId() {
        Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
        Digest b = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
        Digest c = Digest.sha256("c".getBytes(StandardCharsets.UTF_8));

        List<Digest> chain = ChainIds.of(List.of(a, b, c));

        Digest ab = Digest.sha256((a + " " + b).getBytes(StandardCharsets.UTF_8));
        Digest abc = Digest.sha256((ab + " " + c).getBytes(StandardCharsets.UTF_8));
        assertThat(chain).containsExactly(a, ab, abc);
    }

    @Test
    void matchesTheOciSpecExample() {
        // The image spec's worked example uses these two diff IDs.
        Digest first = Digest.parse("sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4");
        Digest second = Digest.parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

        List<Digest> chain = ChainIds.of(List.of(first, second));

        assertThat(chain.get(1).toString()).isEqualTo(
                Digest.sha256((first + " " + second).getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(chain.get(0)).isEqualTo(first);
    }
}
