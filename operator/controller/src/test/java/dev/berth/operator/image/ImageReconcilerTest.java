package dev.berth.operator.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullStatus;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.model.PrePullNode;
import dev.berth.operator.model.PrePullStatus;
import dev.berth.operator.nodeagent.ImagePullWriter;
import dev.berth.operator.nodeagent.ImagePulls;
import dev.berth.operator.status.StatusWrites;
import dev.berth.operator.testing.ImageCluster;
import dev.berth.operator.testing.MutableClock;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.PushedIndex;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Image reconciler against Fabric8's CRUD mock API server and a real registry on 127.0.0.1. */
@EnableKubernetesMockClient(crud = true)
class ImageReconcilerTest {
    static KubernetesClient client;
    private static RegistryFixture registry;
    private static ImagePusher pusher;
    private static RegistryClient registryClient;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private ImageCluster cluster;
    private ImageReconciler reconciler;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = RegistryFixture.start();
        pusher = new ImagePusher(registry);
        registryClient = new RegistryClient(RegistryConfig.empty());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registryClient.close();
        registry.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ImageCluster(client);
        cluster.installCrd();
        reconciler = reconciler(registryClient);
    }

    @AfterEach
    void clear() {
        cluster.clear();
    }

    private ImageReconciler reconciler(RegistryClient registryClient) {
        return new ImageReconciler(
                new ImageResolver(registryClient, new PullSecrets(client), new Platform("linux", "amd64", null), clock),
                clock,
                new StatusWrites(false));
    }

    @Test
    void resolvesTagToDigestPlatformAndSize() throws Exception {
        PushedImage pushed = pusher.pushImage("app/one", "v1", image(1));
        cluster.create("one", pushed.reference(), null);

        UpdateControl<Image> control = reconcile("one");

        ImageStatus status = cluster.get("one").getStatus();
        assertThat(status.getDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(status.getPlatforms()).containsExactly("linux/amd64");
        assertThat(status.getSize()).isEqualTo(pushed.size());
        assertThat(status.getResolvedAt()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(status.getObservedGeneration())
                .isEqualTo(cluster.get("one").getMetadata().getGeneration());
        assertThat(condition(status, ImageStatus.RESOLVED)).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("Resolved");
            assertThat(c.getMessage()).contains(pushed.manifestDigest());
        });
        assertThat(control.getScheduleDelay())
                .as("no updateInterval: no periodic look-up")
                .isEmpty();
    }

    @Test
    void resolvesDigestReference() throws Exception {
        PushedImage pushed = pusher.pushImage("app/pinned", "v1", image(2));
        cluster.create("pinned", registry.reference("app/pinned@" + pushed.manifestDigest()), null);

        reconcile("pinned");

        assertThat(cluster.get("pinned").getStatus().getDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(condition(cluster.get("pinned").getStatus(), ImageStatus.RESOLVED)
                        .getStatus())
                .isEqualTo("True");
    }

    @Test
    void multiArchIndexListsEveryPlatformAndSizesTheOperatorsOwn() throws Exception {
        PushedIndex index = pusher.pushIndex(
                "app/multi",
                "v1",
                List.of(
                        image(3),
                        TestImage.builder()
                                .layer(TestLayer.random(4096, 3, 4, TestLayer.Compression.GZIP))
                                .platform("linux", "arm64", "v8")
                                .build(),
                        TestImage.builder().platform("linux", "arm", "v7").build()),
                true,
                true);
        cluster.create("multi", index.reference(), null);

        reconcile("multi");

        ImageStatus status = cluster.get("multi").getStatus();
        assertThat(status.getDigest())
                .as("the index digest, which a puller pins to")
                .isEqualTo(index.indexDigest());
        assertThat(status.getPlatforms()).containsExactly("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
        assertThat(status.getSize()).isEqualTo(index.images().getFirst().size());
    }

    @Test
    void missingTagIsNotFoundWithTheRegistrysMessageAndBacksOff() throws Exception {
        pusher.pushImage("app/exists", "v1", image(5));
        cluster.create("missing", registry.reference("app/exists:nope"), null);

        UpdateControl<Image> first = reconcile("missing");

        Condition resolved = condition(cluster.get("missing").getStatus(), ImageStatus.RESOLVED);
        assertThat(resolved.getStatus()).isEqualTo("False");
        assertThat(resolved.getReason()).isEqualTo("NotFound");
        assertThat(resolved.getMessage()).contains("MANIFEST_UNKNOWN").contains("app/exists:nope");
        assertThat(first.getScheduleDelay()).hasValue(Duration.ofSeconds(30).toMillis());

        clock.advance(Duration.ofSeconds(30));
        UpdateControl<Image> second = reconcile("missing");
        assertThat(second.getScheduleDelay())
                .as("backoff doubles")
                .hasValue(Duration.ofSeconds(60).toMillis());
    }

    @Test
    void eventsBeforeTheBackoffEndsDoNotAskTheRegistryAgain() throws Exception {
        cluster.create("missing", registry.reference("app/never:v1"), null);
        reconcile("missing");
        pusher.pushImage("app/never", "v1", image(6));

        UpdateControl<Image> early = reconcile("missing");

        assertThat(condition(cluster.get("missing").getStatus(), ImageStatus.RESOLVED)
                        .getStatus())
                .isEqualTo("False");
        assertThat(early.getScheduleDelay()).hasValue(Duration.ofSeconds(30).toMillis());
        clock.advance(Duration.ofSeconds(31));
        reconcile("missing");
        assertThat(condition(cluster.get("missing").getStatus(), ImageStatus.RESOLVED)
                        .getStatus())
                .isEqualTo("True");
    }

    @Test
    void invalidReferenceIsReportedNotThrown() {
        cluster.create("bad", "127.0.0.1:1/UPPER/case:v1", null);

        reconcile("bad");

        Condition resolved = condition(cluster.get("bad").getStatus(), ImageStatus.RESOLVED);
        assertThat(resolved.getReason()).isEqualTo("InvalidReference");
        assertThat(resolved.getMessage()).contains("lowercase");
    }

    @Test
    void registryThatIsDownIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cluster.create("down", "127.0.0.1:" + port + "/app/x:v1", null);

        reconcile("down");

        Condition resolved = condition(cluster.get("down").getStatus(), ImageStatus.RESOLVED);
        assertThat(resolved.getReason()).isEqualTo("Unreachable");
        assertThat(resolved.getMessage()).contains("127.0.0.1:" + port);
    }

    @Test
    void privateRegistryRefusesAnonymousThenResolvesWithThePullSecret() throws Exception {
        try (RegistryFixture secured = RegistryFixture.startWithBasicAuth("berth", "s3cret-pass")) {
            PushedImage pushed = new ImagePusher(secured).pushImage("team/private", "v1", image(7));
            cluster.create("private", pushed.reference(), null);

            reconcile("private");
            Condition refused = condition(cluster.get("private").getStatus(), ImageStatus.RESOLVED);
            assertThat(refused.getReason()).isEqualTo("Unauthorized");
            assertThat(refused.getMessage()).contains("authentication");

            cluster.dockerConfigSecret("regcred", secured.hostPort(), "berth", "s3cret-pass");
            cluster.edit("private", spec -> spec.setPullSecrets(List.of("regcred")));
            reconcile("private");

            ImageStatus status = cluster.get("private").getStatus();
            assertThat(condition(status, ImageStatus.RESOLVED).getStatus()).isEqualTo("True");
            assertThat(status.getDigest()).isEqualTo(pushed.manifestDigest());
            assertThat(condition(status, ImageStatus.RESOLVED).getMessage()).doesNotContain("s3cret-pass");
        }
    }

    @Test
    void missingPullSecretIsNamedWhenTheRegistryRefuses() throws Exception {
        try (RegistryFixture secured = RegistryFixture.startWithBasicAuth("berth", "pw")) {
            PushedImage pushed = new ImagePusher(secured).pushImage("team/private", "v1", image(8));
            cluster.create("private", pushed.reference(), null, "gone");

            reconcile("private");

            Condition refused = condition(cluster.get("private").getStatus(), ImageStatus.RESOLVED);
            assertThat(refused.getReason()).isEqualTo("Unauthorized");
            assertThat(refused.getMessage()).contains("secret default/gone not found");
        }
    }

    @Test
    void updateIntervalReResolvesAndPicksUpANewImageUnderTheSameTag() throws Exception {
        PushedImage first = pusher.pushImage("app/moving", "latest", image(9));
        cluster.create("moving", first.reference(), null);
        cluster.edit("moving", spec -> spec.setUpdateInterval("5m"));

        UpdateControl<Image> control = reconcile("moving");
        assertThat(control.getScheduleDelay()).hasValue(Duration.ofMinutes(5).toMillis());
        assertThat(cluster.get("moving").getStatus().getDigest()).isEqualTo(first.manifestDigest());

        PushedImage second = pusher.pushImage("app/moving", "latest", image(10));
        reconcile("moving");
        assertThat(cluster.get("moving").getStatus().getDigest())
                .as("not due yet")
                .isEqualTo(first.manifestDigest());

        clock.advance(Duration.ofMinutes(5));
        reconcile("moving");
        ImageStatus status = cluster.get("moving").getStatus();
        assertThat(status.getDigest()).isEqualTo(second.manifestDigest());
        assertThat(status.getResolvedAt()).isEqualTo("2026-03-01T10:05:00Z");
    }

    @Test
    void aFailedReResolveKeepsTheLastDigestVisible() throws Exception {
        PushedImage pushed = pusher.pushImage("app/flaky", "v1", image(11));
        cluster.create("flaky", pushed.reference(), null);
        reconcile("flaky");

        cluster.edit("flaky", spec -> spec.setImage(registry.reference("app/flaky:v2")));
        reconcile("flaky");

        ImageStatus status = cluster.get("flaky").getStatus();
        assertThat(status.getDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(condition(status, ImageStatus.RESOLVED).getReason()).isEqualTo("NotFound");
    }

    @Test
    void unchangedStatusIsNotWrittenAgain() throws Exception {
        PushedImage pushed = pusher.pushImage("app/still", "v1", image(12));
        cluster.create("still", pushed.reference(), null);
        reconcile("still");
        String version = cluster.get("still").getMetadata().getResourceVersion();

        clock.advance(Duration.ofMinutes(1));
        reconcile("still");

        assertThat(cluster.get("still").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void pulledWhenEverySelectedNodeReportsTheDigestAndOtherNodesDoNotCount() throws Exception {
        PushedImage pushed = pusher.pushImage("app/pre", "v1", image(13));
        cluster.node("a", Map.of("pool", "web"));
        cluster.node("b", Map.of("pool", "web"));
        cluster.node("c", Map.of("pool", "db"));
        cluster.create("pre", pushed.reference(), Map.of("pool", "web"));

        UpdateControl<Image> control = reconcile("pre");
        Condition pulled = condition(cluster.get("pre").getStatus(), ImageStatus.PULLED);
        assertThat(pulled.getStatus()).isEqualTo("False");
        assertThat(pulled.getReason()).isEqualTo("Pulling");
        assertThat(pulled.getMessage()).contains("0/2").contains("a, b");
        assertThat(control.getScheduleDelay())
                .as("progress arrives as ImagePull and Node events: no polling")
                .isEmpty();

        report("pre", "a", pushed.manifestDigest(), true, null);
        report("pre", "c", pushed.manifestDigest(), true, null);
        reconcile("pre");
        ImageStatus status = cluster.get("pre").getStatus();
        assertThat(condition(status, ImageStatus.PULLED).getMessage())
                .contains("1/2")
                .contains("waiting for b");
        assertThat(status.getPrePull()).satisfies(p -> {
            assertThat(p.getDesired()).as("c is not selected").isEqualTo(2);
            assertThat(p.getPulled()).isEqualTo(1);
            assertThat(p.getPending()).isEqualTo(1);
            assertThat(p.getFailed()).isZero();
            assertThat(p.getNodes()).extracting(PrePullNode::getNode).containsExactly("b");
        });

        report("pre", "b", pushed.manifestDigest(), true, null);
        reconcile("pre");
        pulled = condition(cluster.get("pre").getStatus(), ImageStatus.PULLED);
        assertThat(pulled.getStatus()).isEqualTo("True");
        assertThat(pulled.getReason()).isEqualTo("Pulled");
        assertThat(cluster.get("pre").getStatus().getPrePull().getNodes()).isNull();
    }

    @Test
    void aNodesPullFailureIsQuotedInPulled() throws Exception {
        PushedImage pushed = pusher.pushImage("app/prefail", "v1", image(14));
        cluster.node("a", Map.of());
        cluster.create("prefail", pushed.reference(), Map.of());
        reconcile("prefail");

        report("prefail", "a", pushed.manifestDigest(), false, "no space left on device");
        reconcile("prefail");

        Condition pulled = condition(cluster.get("prefail").getStatus(), ImageStatus.PULLED);
        assertThat(pulled.getReason()).isEqualTo("PullFailed");
        assertThat(pulled.getMessage()).contains("a: no space left on device");
        assertThat(cluster.get("prefail").getStatus().getPrePull().getNodes())
                .singleElement()
                .satisfies(n -> {
                    assertThat(n.getState()).isEqualTo(PrePullNode.FAILED);
                    assertThat(n.getMessage()).isEqualTo("no space left on device");
                });
    }

    @Test
    void manyMissingNodesAreCountedButOnlyTheFirstFewNamedFailedFirst() throws Exception {
        PushedImage pushed = pusher.pushImage("app/wide", "v1", image(15));
        for (int i = 0; i < 30; i++) {
            cluster.node(String.format("n%02d", i), Map.of());
        }
        cluster.create("wide", pushed.reference(), Map.of());
        reconcile("wide");
        report("wide", "n29", pushed.manifestDigest(), false, "disk full");
        report("wide", "n00", pushed.manifestDigest(), true, null);

        reconcile("wide");

        ImageStatus status = cluster.get("wide").getStatus();
        assertThat(status.getPrePull()).satisfies(p -> {
            assertThat(p.getDesired()).isEqualTo(30);
            assertThat(p.getPulled()).isEqualTo(1);
            assertThat(p.getFailed()).isEqualTo(1);
            assertThat(p.getPending()).isEqualTo(28);
            assertThat(p.getNodes()).hasSize(PrePullStatus.NODES_LISTED);
            assertThat(p.getNodes().getFirst().getNode()).isEqualTo("n29");
        });
        assertThat(condition(status, ImageStatus.PULLED).getMessage()).contains("and 23 more");
    }

    @Test
    void aReportOfAnEarlierImageOfTheSameNameDoesNotCount() throws Exception {
        PushedImage pushed = pusher.pushImage("app/again", "v1", image(16));
        cluster.node("a", Map.of());
        cluster.create("again", pushed.reference(), Map.of());
        reconcile("again");
        ImagePull stale = ImagePulls.of(cluster.get("again"), "a");
        stale.getMetadata().getOwnerReferences().getFirst().setUid("uid-of-a-deleted-image");
        ImagePullStatus report = new ImagePullStatus();
        report.setDigest(pushed.manifestDigest());
        report.setPulled(true);
        new ImagePullWriter(client, "a").report(client.resource(stale).create(), report);

        reconcile("again");

        assertThat(cluster.get("again").getStatus().getPrePull().getPending()).isEqualTo(1);
    }

    private UpdateControl<Image> reconcile(String name) {
        return cluster.reconcile(reconciler, name);
    }

    /** What a node's agent writes: its ImagePull of the Image, created on its first pull. */
    private void report(String image, String node, String digest, boolean pulled, String message) {
        ImagePullWriter writer = new ImagePullWriter(client, node);
        ImagePull pull = cluster.pull(image, node).orElse(null);
        ImagePullStatus status = new ImagePullStatus();
        status.setDigest(digest);
        status.setPulled(pulled);
        status.setMessage(message);
        status.setTime("2026-03-01T10:00:00Z");
        writer.report(pull == null ? writer.create(cluster.get(image)) : pull, status);
    }

    static Condition condition(ImageStatus status, String type) {
        assertThat(status).as("status").isNotNull();
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + status.getConditions()));
    }

    private static TestImage image(long seed) {
        return TestImage.builder()
                .layer(TestLayer.random(2048, 2, seed, TestLayer.Compression.GZIP))
                .build();
    }
}
