package dev.berth.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cri.v1.ImageFilter;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.ImageStatusRequest;
import dev.berth.cri.v1.ImageStatusResponse;
import dev.berth.cri.v1.ListImagesRequest;
import dev.berth.e2e.bench.BenchBerthd;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullStatus;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.model.PrePull;
import dev.berth.operator.nodeagent.NodeImageReconciler;
import dev.berth.operator.process.BerthControllers;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent pre-pulling through a real berthd: the operator resolves an Image's tag to a digest, the agent
 * of the selected node pulls that digest through berthd's CRI socket and reports it in its ImagePull, the operator
 * turns the report into {@code Pulled}; an agent on a node the selector does not match writes nothing.
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
                client.resource(image("web", pushed.reference())).create();

                Image pulled = awaitPulled(cluster, pushed.manifestDigest());

                ImagePullStatus entry = entry(cluster, "web", "n1").orElseThrow();
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
                assertThat(client.resources(ImagePull.class)
                                .inNamespace(NAMESPACE)
                                .list()
                                .getItems())
                        .extracting(p -> p.getSpec().getNode())
                        .containsExactly("n1");
                assertThat(after.getStatus().getPrePull().getDesired()).isEqualTo(1);
                assertThat(operator.lostLeadership()).isZero();

                // berthd's own answers to a registry failure reach the ImagePull as such, not as a runtime that is down
                int closed;
                try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                    closed = s.getLocalPort();
                }
                client.resource(image("missing", registry.reference("e2e/prepull:no-such-tag")))
                        .create();
                client.resource(image("down", "127.0.0.1:" + closed + "/e2e/prepull:1"))
                        .create();
                assertThat(awaitFailure(cluster, "missing"))
                        .startsWith("image not found: ")
                        .contains("no-such-tag")
                        .doesNotContain("CRI runtime");
                assertThat(awaitFailure(cluster, "down"))
                        .startsWith("the runtime could not reach the registry: ")
                        .contains("127.0.0.1:" + closed)
                        .doesNotContain("CRI runtime");
            }
        }
    }

    private static String awaitFailure(MockCluster cluster, String image) {
        String[] message = new String[1];
        Await.until("n1's failed pull of Image " + image, TIMEOUT, () -> {
            message[0] = entry(cluster, image, "n1")
                    .filter(e -> Boolean.FALSE.equals(e.getPulled()))
                    .map(ImagePullStatus::getMessage)
                    .orElse(null);
            return message[0] == null ? "no failed report" : null;
        });
        return message[0];
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
                Mode.NODE_AGENT,
                settings,
                cluster.newClient(),
                new BerthControllers(RegistryConfig.empty(), Clock.systemUTC()),
                () -> {});
        try {
            agent.start();
        } catch (Exception | AssertionError e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private static Image image(String name, String reference) {
        Image image = new Image();
        image.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
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
            boolean reported = entry(cluster, "web", "n1")
                    .map(e -> digest.equals(e.getDigest()))
                    .orElse(false);
            seen[0] = current;
            return pulled && reported
                    ? null
                    : "digest " + status.getDigest() + ", n1's ImagePull "
                            + entry(cluster, "web", "n1").map(NodeAgentPrePullTest::describe)
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

    private static Optional<ImagePullStatus> entry(MockCluster cluster, String image, String node) {
        return cluster.client().resources(ImagePull.class).inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> image.equals(p.getSpec().getImage())
                        && node.equals(p.getSpec().getNode())
                        && p.getStatus() != null)
                .map(ImagePull::getStatus)
                .findFirst();
    }

    private static Optional<Condition> condition(Image image, String type) {
        List<Condition> conditions =
                image.getStatus() == null ? null : image.getStatus().getConditions();
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String describe(ImagePullStatus e) {
        return e.getDigest() + "/pulled " + e.getPulled() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
}
