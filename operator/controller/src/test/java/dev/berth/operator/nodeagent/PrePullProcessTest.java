package dev.berth.operator.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.model.Image;
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
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jar's reconcilers in running processes: the elected operator resolves, two node agents pull and each writes
 * its ImagePull, and the operator sees them (their events trigger it) and turns {@code Pulled} true.
 */
@EnableKubernetesMockClient(crud = true)
class PrePullProcessTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        new ImageCluster(client).clear();
        client.leases().inAnyNamespace().delete();
    }

    @Test
    void operatorAndTwoNodeAgentsBringAnImageToPulled() throws Exception {
        MockLeases.allow(server);
        RegistryFixture registry = RegistryFixture.start();
        closing.add(registry);
        PushedImage pushed = new ImagePusher(registry)
                .pushImage("proc/app", "v1", TestImage.builder().build());
        RecordingImageService runtime = new RecordingImageService();
        closing.add(runtime);
        ImageCluster cluster = new ImageCluster(client);
        cluster.installCrd();
        cluster.node("node-a", Map.of("berth.dev/prepull", "true"));
        cluster.node("node-b", Map.of("berth.dev/prepull", "true"));

        start(Mode.OPERATOR, List.of("--identity", "operator-1"));
        start(
                Mode.NODE_AGENT,
                List.of("--identity", "agent-a", "--node-name", "node-a", "--cri-socket", runtime.endpoint()));
        start(
                Mode.NODE_AGENT,
                List.of("--identity", "agent-b", "--node-name", "node-b", "--cri-socket", runtime.endpoint()));
        cluster.create("app", pushed.reference(), Map.of("berth.dev/prepull", "true"));

        awaitTrue("Pulled True", () -> pulled(cluster.get("app")));
        Image image = cluster.get("app");
        assertThat(image.getStatus().getDigest()).isEqualTo(pushed.manifestDigest());
        assertThat(image.getStatus().getPrePull().getPulled()).isEqualTo(2);
        assertThat(cluster.pulls())
                .extracting(p -> p.getSpec().getNode() + "=" + p.getStatus().getDigest())
                .containsExactlyInAnyOrder("node-a=" + pushed.manifestDigest(), "node-b=" + pushed.manifestDigest());
        assertThat(runtime.pulls())
                .extracting(RecordingImageService.Pull::image)
                .contains(registry.reference("proc/app@" + pushed.manifestDigest()));
    }

    private void start(Mode mode, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(args);
        // the mock server has no server-side apply
        all.addAll(List.of("--port", "0", "--server-side-apply", "false"));
        OperatorProcess process = new OperatorProcess(
                mode,
                OperatorSettings.parse(all, Map.of()),
                server.createClient(),
                new BerthControllers(RegistryConfig.empty(), Clock.systemUTC()),
                () -> {});
        closing.add(process);
        process.start();
    }

    private static boolean pulled(Image image) {
        return image != null
                && image.getStatus() != null
                && image.getStatus().getConditions() != null
                && image.getStatus().getConditions().stream()
                        .anyMatch(c -> ImageStatus.PULLED.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
