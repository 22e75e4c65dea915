package dev.berth.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageFilter;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.e2e.bench.BenchBerthd;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageNodeStatus;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.model.PrePull;
import dev.berth.operator.nodeagent.NodeImageReconciler;
import dev.berth.operator.process.ControllerRegistry;
import dev.berth.operator.process.Mode;
import dev.berth.operator.process.OperatorProcess;
import dev.berth.operator.process.OperatorSettings;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.layer.BusyboxImage;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent pre-pulling through a real berthd: the operator resolves an Image's tag to a digest, the agent
 * of the selected node pulls that digest through berthd's CRI socket and reports it in {@code status.nodes}, the
 * operator turns the report into {@code Pulled}; an agent on a node the selector does not match stays out.
 */
class NodeAgentPrePullTest {
    private static final String NAMESPACE = "berth-e2e";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final RepoPaths repo = RepoPaths.locate();

    @TempDir
    Path tmp;

    @Test
    void selectedNodePullsTheResolvedDigestThroughBerthdAndUnselectedNodeGetsNoEntry() throws Exception {
        Privileges.requireRoot();
        RegistryFixture.requireAvailable();
        try (RegistryFixture registry = RegistryFixture.start();
                BenchBerthd berthd = BenchBerthd.start(tmp);
                MockCluster cluster = MockCluster.start(repo)) {
            PushedImage pushed = new ImagePusher(registry)
                    .pushImage("e2e/prepull", "1", BusyboxImage.fromHost().image());
            var client = cluster.client();
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();
            client.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName("n1")
                            .withLabels(Map.of("pool", "web"))
                            .endMetadata()
                            .build())
                    .create();
            client.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName("n2")
                            .withLabels(Map.of("pool", "batch"))
                            .endMetadata()
                            .build())
                    .create();

            try (EmbeddedOperator operator = EmbeddedOperator.start(cluster.newClient(), NAMESPACE, false);
                    OperatorProcess n1 = nodeAgent(cluster, "n1", berthd.socket());
                    OperatorProcess n2 = nodeAgent(cluster, "n2", berthd.socket())) {
                client.resource(image(pushed.reference())).create();

                Image pulled = awaitPulled(cluster, pushed.manifestDigest());

                ImageNodeStatus entry = entry(pulled, "n1").orElseThrow();
                assertThat(entry.getDigest()).isEqualTo(pushed.manifestDigest());
                assertThat(entry.getPulled()).isTrue();
                assertThat(entry.getMessage()).isNull();
                assertThat(condition(pulled, ImageStatus.PULLED))
                        .get()
                        .extracting(Condition::getStatus)
                        .isEqualTo("True");

                String pinned = registry.reference("e2e/prepull@" + pushed.manifestDigest());
                ImageStatusResponse status = berthd.images()
                        .imageStatus(ImageStatusRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(pinned))
                                .build());
                assertThat(status.hasImage()).as("berthd has %s", pinned).isTrue();
                assertThat(status.getImage().getRepoDigestsList()).contains(pinned);
                assertThat(berthd.images()
                                .listImages(ListImagesRequest.newBuilder()
                                        .setFilter(ImageFilter.newBuilder()
                                                .setImage(ImageSpec.newBuilder().setImage(pinned)))
                                        .build())
                                .getImagesList())
                        .extracting(i -> i.getId())
                        .containsExactly(status.getImage().getId());

                // Any change to the Image reaches every agent; once n2's has looked at it again, its verdict is final.
                long before = n2.metrics().reconciliations(NodeImageReconciler.NAME);
                client.resources(Image.class)
                        .inNamespace(NAMESPACE)
                        .withName("web")
                        .edit(i -> {
                            i.getMetadata().setAnnotations(Map.of("berth.dev/e2e-touch", "1"));
                            return i;
                        });
                Await.until(
                        "the n2 agent to reconcile the touched Image",
                        TIMEOUT,
                        () -> n2.metrics().reconciliations(NodeImageReconciler.NAME) > before
                                ? null
                                : "no new reconciliation");
                Image after = client.resources(Image.class)
                        .inNamespace(NAMESPACE)
                        .withName("web")
                        .get();
                assertThat(after.getStatus().getNodes())
                        .extracting(ImageNodeStatus::getNode)
                        .containsExactly("n1");
                assertThat(operator.lostLeadership()).isZero();
            }
        }
    }

    /** A node agent as {@code node-agent --node-name NODE --cri-socket unix://SOCKET} runs it, in this JVM. */
    private static OperatorProcess nodeAgent(MockCluster cluster, String node, Path socket) throws Exception {
        OperatorSettings settings = OperatorSettings.parse(
                List.of(
                        "--port",
                        "0",
                        "--identity",
                        "agent-" + node,
                        "--node-name",
                        node,
                        "--cri-socket",
                        "unix://" + socket,
                        "--server-side-apply",
                        "false"),
                Map.of());
        OperatorProcess agent = new OperatorProcess(
                Mode.NODE_AGENT, settings, cluster.newClient(), ControllerRegistry.defaults(), () -> {});
        try {
            agent.start();
        } catch (Exception | AssertionError e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private static Image image(String reference) {
        Image image = new Image();
        image.setMetadata(
                new ObjectMetaBuilder().withName("web").withNamespace(NAMESPACE).build());
        dev.berth.operator.model.ImageSpec spec = new dev.berth.operator.model.ImageSpec();
        spec.setImage(reference);
        PrePull prePull = new PrePull();
        prePull.setNodeSelector(Map.of("pool", "web"));
        spec.setPrePull(prePull);
        image.setSpec(spec);
        return image;
    }

    private static Image awaitPulled(MockCluster cluster, String digest) {
        Image[] seen = new Image[1];
        Await.until("Image web to be Pulled on n1 at " + digest, TIMEOUT, () -> {
            Image current = cluster.client()
                    .resources(Image.class)
                    .inNamespace(NAMESPACE)
                    .withName("web")
                    .get();
            ImageStatus status = current == null ? null : current.getStatus();
            if (status == null) {
                return current == null ? "Image absent" : "no status";
            }
            boolean pulled = condition(current, ImageStatus.PULLED)
                    .map(c -> "True".equals(c.getStatus()))
                    .orElse(false);
            boolean reported =
                    entry(current, "n1").map(e -> digest.equals(e.getDigest())).orElse(false);
            seen[0] = current;
            return pulled && reported
                    ? null
                    : "digest " + status.getDigest() + ", nodes " + describe(status.getNodes())
                            + ", conditions "
                            + (status.getConditions() == null
                                    ? "none"
                                    : status.getConditions().stream()
                                            .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ": "
                                                    + c.getMessage() + ")")
                                            .toList());
        });
        return seen[0];
    }

    private static Optional<ImageNodeStatus> entry(Image image, String node) {
        List<ImageNodeStatus> nodes =
                image.getStatus() == null ? null : image.getStatus().getNodes();
        return nodes == null
                ? Optional.empty()
                : nodes.stream().filter(e -> node.equals(e.getNode())).findFirst();
    }

    private static Optional<Condition> condition(Image image, String type) {
        List<Condition> conditions =
                image.getStatus() == null ? null : image.getStatus().getConditions();
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String describe(List<ImageNodeStatus> nodes) {
        return nodes == null
                ? "none"
                : nodes.stream()
                        .map(e -> e.getNode() + "=" + e.getDigest() + "/pulled " + e.getPulled()
                                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"))
                        .toList()
                        .toString();
    }
}
