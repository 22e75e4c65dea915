package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.image.ImageReconciler;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullStatus;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.process.BerthControllers;
import dev.berth.operator.process.Mode;
import dev.berth.operator.process.OperatorProcess;
import dev.berth.operator.process.OperatorSettings;
import dev.berth.operator.testing.ImageCluster;
import dev.berth.operator.testing.MockLeases;
import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.PushedImage;
import dev.berth.testkit.registry.RegistryFixture;
import dev.berth.testkit.registry.TestImage;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many node agents reporting one Image at once, against the elected operator in a running process: each agent
 * writes only its own ImagePull (a create and one status write, never a retry), none writes the Image, and the
 * operator writes the Image's status at most once per reconciliation. The agents are simulated by the agent's own
 * writer, with the CRI pull left out (NodeImageReconcilerTest and PrePullProcessTest pull).
 */
@EnableKubernetesMockClient(crud = true)
class PrePullFanInTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String AGENTS = "berth-test-agents";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private ImageCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        MockLeases.allow(server);
        cluster = new ImageCluster(client);
        cluster.installCrd();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        cluster.clear();
        client.leases().inAnyNamespace().delete();
    }

    @ParameterizedTest(name = "{0} agents")
    @ValueSource(ints = {2, 50})
    void everyAgentWritesOnlyItsOwnImagePullAndTheOperatorWritesTheImageStatus(int nodes) throws Exception {
        RegistryFixture registry = RegistryFixture.start();
        closing.add(registry);
        PushedImage pushed = new ImagePusher(registry)
                .pushImage("fan/in", "v1", TestImage.builder().build());
        for (int i = 0; i < nodes; i++) {
            cluster.node(node(i), Map.of("pool", "web"));
        }
        OperatorProcess operator = operator();
        cluster.create("web", pushed.reference(), Map.of("pool", "web"));
        awaitTrue("resolved", () -> pushed.manifestDigest().equals(digest()));
        awaitTrue("Pulling", () -> condition("Pulling"));
        drainRequests();
        long reconcilesBefore = operator.metrics().reconciliations(ImageReconciler.NAME);

        KubernetesClient agents = agentsClient();
        Image seen = cluster.get("web");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ImagePull>> reports = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ImagePullWriter writer = new ImagePullWriter(agents, node(i));
                reports.add(pool.submit(() -> writer.report(writer.create(seen), pulled(pushed.manifestDigest()))));
            }
            for (Future<ImagePull> report : reports) {
                assertThat(report.get().getStatus().getPulled()).isTrue();
            }
        }
        awaitTrue("Pulled", () -> condition("Pulled"));

        List<RecordedRequest> requests = drainRequests();
        List<String> agentWrites = writes(requests, true);
        assertThat(agentWrites)
                .as("one create and one status write per node: no conflict, no retry")
                .hasSize(2 * nodes)
                .allMatch(w -> w.contains("/imagepulls"));
        List<String> operatorWrites = writes(requests, false);
        assertThat(operatorWrites)
                .as("the operator writes the Image's status and nothing else")
                .isNotEmpty()
                .allMatch(w -> w.equals("PUT /apis/berth.dev/v1alpha1/namespaces/default/images/web/status"));
        long reconciles = operator.metrics().reconciliations(ImageReconciler.NAME) - reconcilesBefore;
        assertThat((long) operatorWrites.size())
                .as("at most one status write per reconciliation (%d reconciliations)", reconciles)
                .isLessThanOrEqualTo(reconciles);
        Image done = cluster.get("web");
        assertThat(done.getStatus().getPrePull().getDesired()).isEqualTo(nodes);
        assertThat(done.getStatus().getPrePull().getPulled()).isEqualTo(nodes);
        assertThat(done.getStatus().getPrePull().getNodes()).isNull();
    }

    @Test
    void imagePullOfANodeThatIsGoneIsDeletedAndNoLongerCounted() throws Exception {
        RegistryFixture registry = RegistryFixture.start();
        closing.add(registry);
        PushedImage pushed = new ImagePusher(registry)
                .pushImage("fan/gone", "v1", TestImage.builder().build());
        cluster.node(node(0), Map.of("pool", "web"));
        cluster.node(node(1), Map.of("pool", "web"));
        operator();
        cluster.create("web", pushed.reference(), Map.of("pool", "web"));
        awaitTrue("resolved", () -> pushed.manifestDigest().equals(digest()));
        Image seen = cluster.get("web");
        KubernetesClient agents = agentsClient();
        for (int i = 0; i < 2; i++) {
            ImagePullWriter writer = new ImagePullWriter(agents, node(i));
            writer.report(writer.create(seen), pulled(pushed.manifestDigest()));
        }
        awaitTrue("Pulled on both nodes", () -> condition("Pulled"));

        client.nodes().withName(node(1)).delete();

        awaitTrue(
                "the ImagePull of the vanished node deleted", () -> pullNodes().equals(List.of(node(0))));
        awaitTrue(
                "one node desired",
                () -> cluster.get("web").getStatus().getPrePull().getDesired() == 1);
        assertThat(cluster.get("web").getStatus().getPrePull().getPulled()).isEqualTo(1);
        assertThat(condition("Pulled")).isTrue();
    }

    private List<String> pullNodes() {
        return client.resources(ImagePull.class).inNamespace("default").list().getItems().stream()
                .map(p -> p.getSpec().getNode())
                .sorted()
                .toList();
    }

    private OperatorProcess operator() throws Exception {
        OperatorProcess process = new OperatorProcess(
                Mode.OPERATOR,
                OperatorSettings.parse(
                        List.of("--identity", "operator-1", "--port", "0", "--server-side-apply", "false"), Map.of()),
                server.createClient(),
                new BerthControllers(RegistryConfig.empty(), Clock.systemUTC()),
                () -> {});
        closing.add(process);
        process.start();
        awaitTrue("leader", process::isLeader);
        return process;
    }

    private KubernetesClient agentsClient() {
        KubernetesClient agents = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withUserAgent(AGENTS)
                        .build())
                .build();
        closing.add(agents);
        return agents;
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> taken = new ArrayList<>();
        for (var r = server.takeRequest(0, TimeUnit.MILLISECONDS);
                r != null;
                r = server.takeRequest(0, TimeUnit.MILLISECONDS)) {
            taken.add(r);
        }
        return taken;
    }

    /** "METHOD path" of every write by the agents' client, or by everyone else. */
    private static List<String> writes(List<RecordedRequest> requests, boolean byAgents) {
        return requests.stream()
                .filter(r -> !"GET".equals(r.getMethod()))
                .filter(r -> AGENTS.equals(r.getHeader("User-Agent")) == byAgents)
                .map(r -> r.getMethod() + " " + r.getPath().split("\\?")[0])
                .filter(w -> !w.contains("/leases") && !w.contains("selfsubjectrulesreviews"))
                .toList();
    }

    private static ImagePullStatus pulled(String digest) {
        ImagePullStatus status = new ImagePullStatus();
        status.setDigest(digest);
        status.setPulled(true);
        status.setTime("2026-03-01T10:00:00Z");
        return status;
    }

    private String digest() {
        Image image = cluster.get("web");
        return image == null || image.getStatus() == null
                ? null
                : image.getStatus().getDigest();
    }

    private boolean condition(String pulledReason) {
        Image image = cluster.get("web");
        return image != null
                && image.getStatus() != null
                && image.getStatus().getConditions() != null
                && image.getStatus().getConditions().stream()
                        .anyMatch(c -> ImageStatus.PULLED.equals(c.getType()) && pulledReason.equals(c.getReason()));
    }

    private static String node(int i) {
        return String.format("node-%02d", i);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
