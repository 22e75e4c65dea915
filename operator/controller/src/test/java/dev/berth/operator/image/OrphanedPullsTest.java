package dev.berth.operator.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrphanedPullsTest {

    @Test
    void pullsOfNodesThatAreGoneAreOrphaned() {
        ImagePull kept = pull("node-a");
        ImagePull gone = pull("node-b");

        assertThat(ImageReconciler.orphaned(List.of(kept, gone), List.of(node("node-a"), node("node-c"))))
                .containsExactly(gone);
    }

    @Test
    void anEmptyNodeCacheOrphansNothing() {
        assertThat(ImageReconciler.orphaned(List.of(pull("node-a")), List.of())).isEmpty();
    }

    private static ImagePull pull(String node) {
        ImagePull pull = new ImagePull();
        pull.getMetadata().setName("web-" + node);
        ImagePullSpec spec = new ImagePullSpec();
        spec.setImage("web");
        spec.setNode(node);
        pull.setSpec(spec);
        return pull;
    }

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
    }
}
