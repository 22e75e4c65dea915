package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.image.ImageReconciler;
import dev.berth.operator.image.ImageResolver;
import dev.berth.operator.image.PullSecrets;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullStatus;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.status.StatusWrites;
import dev.berth.operator.testing.ImageCluster;
import dev.berth.operator.testing.MutableClock;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import dev.berth.testkit.registry.TestLayer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node agents against the CRUD mock API server, a CRI ImageService peer on a unix socket and a real registry. */
@EnableKubernetesMockClient(crud = true)
class NodeImageReconcilerTest {
    static KubernetesClient client;
    private static RegistryFixture registry;
    private static ImagePusher pusher;
    private static RegistryClient registryClient;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<CriImageClient> criClients = new ArrayList<>();
    private ImageCluster cluster;
    private RecordingImageService runtime;
    private ImageReconciler operator;

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
        runtime = new RecordingImageService();
        operator = new ImageReconciler(
                new ImageResolver(registryClient, new PullSecrets(client), Platform.host(), clock),
                clock,
                new StatusWrites(false));
    }

    @AfterEach
    void tearDown() throws Exception {
        criClients.forEach(CriImageClient::close);
        runtime.close();
        cluster.clear();
    }

    @Test
    void selectedNodePullsTheResolvedDigestAndRecordsItInItsImagePull() throws Exception {
        PushedImage pushed = pusher.pushImage("agent/one", "v1", image(1));
        cluster.node("node-a", Map.of("pool", "web"));
        cluster.create("one", pushed.reference(), Map.of("pool", "web"));
        cluster.reconcile(operator, "one");

        agent("node-a").reconcile("one");

        assertThat(runtime.pulls())
                .extracting(RecordingImageService.Pull::image)
                .containsExactly(registry.reference("agent/one@" + pushed.manifestDigest()));
        ImagePull pull = cluster.pull("one", "node-a").orElseThrow();
        assertThat(pull.getSpec().getImage()).isEqualTo("one");
        assertThat(pull.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Image");
            assertThat(o.getUid()).isEqualTo(cluster.get("one").getMetadata().getUid());
        });
        ImagePullStatus entry = pull.getStatus();
        assertThat(entry.getDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(entry.getPulled()).isTrue();
        assertThat(entry.getMessage()).isNull();
        assertThat(entry.getTime()).isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void alreadyPulledDigestIsNotPulledAgainUnlessTheRuntimeLostIt() throws Exception {
        PushedImage pushed = pusher.pushImage("agent/again", "v1", image(2));
        cluster.node("node-a", Map.of());
        cluster.create("again", pushed.reference(), Map.of());
        cluster.reconcile(operator, "again");
        Agent agent = agent("node-a");
        agent.reconcile("again");

        agent.reconcile("again");
        assertThat(runtime.pulls()).hasSize(1);

        runtime.forget(runtime.pulls().getFirst().image());
        agent.reconcile("again");
        assertThat(runtime.pulls())
                .as("image garbage-collected on the node: pulled again")
                .hasSize(2);
    }

    @Test
    void unselectedNodeDoesNothing() throws Exception {
        PushedImage pushed = pusher.pushImage("agent/skip", "v1", image(3));
        cluster.node("node-db", Map.of("pool", "db"));
        cluster.create("skip", pushed.reference(), Map.of("pool", "web"));
        cluster.reconcile(operator, "skip");
        String version = cluster.get("skip").getMetadata().getResourceVersion();

        agent("node-db").reconcile("skip");

        assertThat(runtime.pulls()).isEmpty();
        assertThat(cluster.get("skip").getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(cluster.pulls()).isEmpty();
    }

    @Test
    void imageWithoutPrePullIsNotPulledAnywhere() throws Exception {
        PushedImage pushed = pusher.pushImage("agent/none", "v1", image(4));
        cluster.node("node-a", Map.of());
        cluster.create("none", pushed.reference(), null);

        agent("node-a").reconcile("none");

        assertThat(runtime.pulls()).isEmpty();
    }

    @Test
    void twoAgentsEachWriteOnlyTheirOwnImagePullAndPulledTurnsTrue() throws Exception {
        PushedImage pushed = pusher.pushImage("agent/two", "v1", image(5));
        cluster.node("node-a", Map.of("pool", "web"));
        cluster.node("node-b", Map.of("pool", "web"));
        cluster.create("two", pushed.reference(), Map.of("pool", "web"));
        cluster.reconcile(operator, "two");
        assertThat(condition(cluster.get("two"), ImageStatus.PULLED).getStatus())
                .isEqualTo("False");
        Image seenByBoth = cluster.get("two");
        Agent a = agent("node-a");
        Agent b = agent("node-b");

        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<UpdateControl<Image>>> done = pool.invokeAll(List.<Callable<UpdateControl<Image>>>of(
                    () -> {
                        together.await();
                        return a.reconcile(seenByBoth);
                    },
                    () -> {
                        together.await();
                        return b.reconcile(seenByBoth);
                    }));
            for (Future<UpdateControl<Image>> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(cluster.pulls())
                .as("each agent wrote its own ImagePull and no other object")
                .extracting(p -> p.getSpec().getNode())
                .containsExactlyInAnyOrder("node-a", "node-b");
        assertThat(cluster.get("two").getMetadata().getResourceVersion())
                .as("no agent wrote the Image")
                .isEqualTo(seenByBoth.getMetadata().getResourceVersion());
        cluster.reconcile(operator, "two");
        Condition pulled = condition(cluster.get("two"), ImageStatus.PULLED);
        assertThat(pulled.getStatus()).isEqualTo("True");
        assertThat(pulled.getMessage()).contains("all 2 selected node(s) pulled " + pushed.manifestDigest());
    }

    @Test
    void failedPullIsRecordedWithTheRuntimesMessageAndBacksOff() throws Exception {
        cluster.node("node-a", Map.of());
        cluster.create("gone", registry.reference("agent/gone:v1"), Map.of());
        Agent agent = agent("node-a");

        UpdateControl<Image> first = agent.reconcile("gone");

        ImagePullStatus entry = cluster.pull("gone", "node-a").orElseThrow().getStatus();
        assertThat(entry.getPulled()).isFalse();
        assertThat(entry.getMessage())
                .as("berthd answers NOT_FOUND with the registry's words")
                .startsWith("image not found: ")
                .contains("MANIFEST_UNKNOWN")
                .doesNotContain("CRI runtime");
        assertThat(first.getScheduleDelay()).hasValue(Duration.ofSeconds(30).toMillis());

        UpdateControl<Image> early = agent.reconcile("gone");
        assertThat(runtime.pulls()).as("no retry before the backoff ends").hasSize(1);
        assertThat(early.getScheduleDelay()).hasValue(Duration.ofSeconds(30).toMillis());

        clock.advance(Duration.ofSeconds(30));
        agent.reconcile("gone");
        assertThat(runtime.pulls()).hasSize(2);
    }

    @Test
    void pullSecretsReachTheRuntimeAsAuthConfig() throws Exception {
        try (RegistryFixture secured = RegistryFixture.startWithBasicAuth("puller", "pull-pw")) {
            PushedImage pushed = new ImagePusher(secured).pushImage("team/app", "v1", image(6));
            cluster.node("node-a", Map.of());
            cluster.dockerConfigSecret("regcred", secured.hostPort(), "puller", "pull-pw");
            cluster.create("private", pushed.reference(), Map.of(), "regcred");

            agent("node-a").reconcile("private");

            assertThat(runtime.pulls()).singleElement().satisfies(p -> {
                assertThat(p.username()).isEqualTo("puller");
                assertThat(p.password()).isEqualTo("pull-pw");
            });
            ImagePullStatus entry =
                    cluster.pull("private", "node-a").orElseThrow().getStatus();
            assertThat(entry.getPulled()).as(String.valueOf(entry.getMessage())).isTrue();
            assertThat(entry.getDigest())
                    .as("no digest resolved yet: pulled by tag")
                    .isNull();
        }
    }

    @Test
    void nodeThatNoLongerMatchesRemovesItsImagePull() throws Exception {
        PushedImage pushed = pusher.pushImage("agent/moved", "v1", image(7));
        cluster.node("node-a", Map.of("pool", "web"));
        cluster.create("moved", pushed.reference(), Map.of("pool", "web"));
        Agent agent = agent("node-a");
        agent.reconcile("moved");
        assertThat(cluster.pull("moved", "node-a")).isPresent();

        cluster.node("node-a", Map.of("pool", "db"));
        agent.reconcile("moved");

        assertThat(cluster.pull("moved", "node-a")).isEmpty();
    }

    @Test
    void runtimeThatIsNotListeningIsReportedNotThrown() throws Exception {
        cluster.node("node-a", Map.of());
        cluster.create("nosock", registry.reference("agent/x:v1"), Map.of());
        CriImageClient nowhere = new CriImageClient("unix:///nonexistent/berth.sock", Duration.ofSeconds(5));
        criClients.add(nowhere);

        new Agent(reconciler("node-a", nowhere), "node-a").reconcile("nosock");

        ImagePullStatus entry = cluster.pull("nosock", "node-a").orElseThrow().getStatus();
        assertThat(entry.getPulled()).isFalse();
        assertThat(entry.getMessage())
                .contains("unix:///nonexistent/berth.sock")
                .contains("unavailable");
    }

    @Test
    void unreachableRegistryIsReportedAsTheRegistrysNotAsARuntimeThatIsDown() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cluster.node("node-a", Map.of());
        cluster.create("unreachable", "127.0.0.1:" + port + "/agent/x:v1", Map.of());

        agent("node-a").reconcile("unreachable");

        ImagePullStatus entry =
                cluster.pull("unreachable", "node-a").orElseThrow().getStatus();
        assertThat(entry.getPulled()).isFalse();
        assertThat(entry.getMessage())
                .startsWith("the runtime could not reach the registry: ")
                .contains("127.0.0.1:" + port)
                .doesNotContain("CRI runtime");
    }

    @Test
    void closeShutsTheChannelToTheRuntime() {
        CriImageClient cri = new CriImageClient(runtime.endpoint(), Duration.ofSeconds(30));
        NodeImageReconciler agent = reconciler("node-a", cri);

        agent.close();

        assertThatThrownBy(() -> cri.present("example.com/app:1"))
                .isInstanceOf(CriPullException.class)
                .hasMessageContaining("unavailable");
    }

    private Agent agent(String node) {
        CriImageClient cri = new CriImageClient(runtime.endpoint(), Duration.ofSeconds(30));
        criClients.add(cri);
        return new Agent(reconciler(node, cri), node);
    }

    private NodeImageReconciler reconciler(String node, CriImageClient cri) {
        return new NodeImageReconciler(node, cri, new PullSecrets(client), new ImagePullWriter(client, node), clock);
    }

    /** A node's agent reconciling with what its informers would hold: its Node and its ImagePull of the Image. */
    private final class Agent {
        private final NodeImageReconciler reconciler;
        private final String node;

        Agent(NodeImageReconciler reconciler, String node) {
            this.reconciler = reconciler;
            this.node = node;
        }

        UpdateControl<Image> reconcile(String image) {
            return reconcile(cluster.get(image));
        }

        UpdateControl<Image> reconcile(Image image) {
            return reconciler.reconcile(
                    image,
                    cluster.pull(image.getMetadata().getName(), node),
                    client.nodes().withName(node).get(),
                    (before, after) -> {});
        }
    }

    private static Condition condition(Image image, String type) {
        return image.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }

    private static TestImage image(long seed) {
        return TestImage.builder()
                .layer(TestLayer.random(2048, 2, seed, TestLayer.Compression.GZIP))
                .build();
    }
}
