package dev.berth.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.registry.ImagePusher;
import dev.berth.testkit.registry.RegistryFixture;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end, through its entrypoint and the custom resources only. Against a real cluster when
 * KUBECONFIG is set; everywhere against Fabric8's CRUD mock server and a real local registry, with the
 * Deployment controller and the garbage collector played by {@link DeploymentSimulator}.
 */
class OperatorScenarioTest {
    private final RepoPaths repo = RepoPaths.locate();

    @Test
    void appRollsToTheNewDigestOfItsImageAndGoesAwayWithItsObjectsOnMockServer() throws Exception {
        RegistryFixture.requireAvailable();
        String namespace = "berth-e2e";
        try (RegistryFixture registry = RegistryFixture.start();
                MockCluster cluster = MockCluster.start(repo);
                DeploymentSimulator simulator = new DeploymentSimulator(cluster.client(), namespace)) {
            cluster.client()
                    .namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
            try (EmbeddedOperator operator = EmbeddedOperator.start(cluster.newClient(), namespace, false)) {
                OperatorScenario.Outcome outcome = new OperatorScenario(
                                cluster.client(),
                                namespace,
                                new ImagePusher(registry),
                                new ExampleResources(repo),
                                "e2e/hello",
                                null,
                                Duration.ofSeconds(30))
                        .run();

                assertThat(outcome.secondDigest()).isNotEqualTo(outcome.firstDigest());
                assertThat(outcome.firstDeploymentImage())
                        .isEqualTo(registry.hostPort() + "/e2e/hello@" + outcome.firstDigest());
                assertThat(outcome.secondDeploymentImage())
                        .isEqualTo(registry.hostPort() + "/e2e/hello@" + outcome.secondDigest());
                assertThat(outcome.ownedKinds()).contains("Deployment", "Service");
                assertThat(simulator.statusWrites())
                        .as("the simulator completed both rollouts")
                        .isGreaterThanOrEqualTo(2);
                assertThat(operator.lostLeadership()).isZero();
            }
        }
    }

    @Test
    void appRollsToTheNewDigestOfItsImageOnARealCluster() throws Exception {
        String kubeconfig = System.getenv("KUBECONFIG");
        Assumptions.assumeTrue(
                kubeconfig != null && !kubeconfig.isBlank(),
                "set KUBECONFIG to run the operator e2e scenario against a real cluster");
        String registryHost = System.getenv("BERTH_E2E_REGISTRY");
        if (registryHost == null || registryHost.isBlank()) {
            throw new IllegalStateException(
                    "KUBECONFIG is set: set BERTH_E2E_REGISTRY=host:port too, a plain-HTTP registry "
                            + "that both this machine (to push) and the cluster's nodes (to pull) reach");
        }
        String namespace = "berth-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            CrdInstaller crds = new CrdInstaller(client);
            crds.awaitEstablished(crds.install(repo.crdFiles()), Duration.ofSeconds(60));
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
            try (EmbeddedOperator operator =
                    EmbeddedOperator.start(new KubernetesClientBuilder().build(), namespace, true)) {
                OperatorScenario.Outcome outcome = new OperatorScenario(
                                client,
                                namespace,
                                ImagePusher.toOpenRegistry(registryHost),
                                new ExampleResources(repo),
                                "berth-e2e/hello",
                                System.getenv("BERTH_E2E_RUNTIME_CLASS"),
                                Duration.ofMinutes(5))
                        .run();

                assertThat(outcome.secondDigest()).isNotEqualTo(outcome.firstDigest());
                assertThat(outcome.secondDeploymentImage()).endsWith("@" + outcome.secondDigest());
                assertThat(operator.lostLeadership()).isZero();
            } finally {
                // The CRDs stay: other tests and an installed chart share them; everything else lived in the namespace.
                client.namespaces().withName(namespace).delete();
            }
        }
    }
}
