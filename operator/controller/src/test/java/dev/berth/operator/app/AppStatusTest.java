package dev.berth.operator.app;

import static dev.berth.operator.app.AppOperatorFixture.NS;
import static dev.berth.operator.app.AppOperatorFixture.await;
import static dev.berth.operator.app.AppReconcilerTest.DIGEST;
import static dev.berth.operator.app.AppReconcilerTest.assertOwnedBy;
import static dev.berth.operator.app.AppReconcilerTest.imageSpec;
import static dev.berth.operator.app.AppReconcilerTest.labels;
import static dev.berth.operator.app.AppReconcilerTest.port;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The App's status from its Deployment and pods. The mock server runs no controllers, so each test plays
 * the Deployment controller (status) and the kubelet (pods) itself.
 */
@EnableKubernetesMockClient(crud = true)
class AppStatusTest {
    static KubernetesClient client;

    private AppOperatorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new AppOperatorFixture(client);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void allReplicasReadyMakesTheAppReadyAndTheRolloutComplete() {
        deployed("ready", 2);
        fixture.awaitCondition("ready", "Ready", "False", "PodsNotReady");

        deploymentStatus("ready", 2, 2, 2, null);

        var ready = fixture.awaitCondition("ready", "Ready", "True", "AllReplicasReady");
        assertThat(ready.getMessage()).isEqualTo("2/2 replicas ready");
        fixture.awaitCondition("ready", "Progressing", "False", "RolloutComplete");
        fixture.awaitCondition("ready", "Degraded", "False", "AsExpected");
        App app = fixture.app("ready");
        assertThat(app.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(app.getStatus().getObservedGeneration())
                .isEqualTo(app.getMetadata().getGeneration());
        assertThat(app.getStatus().getImageDigest()).isEqualTo(DIGEST);
    }

    @Test
    void imagePullBackOffCarriesTheRegistrysMessage() {
        deployed("pull", 1);
        String registry = "failed to pull registry.example/team/app: manifest unknown: manifest tagged v9 is not found";
        pod(
                "pull-1",
                "pull",
                waiting("ImagePullBackOff", "Back-off pulling image \"registry.example/team/app\": " + registry),
                null);

        var ready = fixture.awaitCondition("pull", "Ready", "False", "ImagePullFailed");

        assertThat(ready.getMessage()).contains("0/1 replicas ready", "pod pull-1", "ImagePullBackOff", registry);
        assertThat(fixture.awaitCondition("pull", "Degraded", "True", "ImagePullFailed")
                        .getMessage())
                .contains(registry);
    }

    @Test
    void crashLoopAfterAnOomKillSaysOomKilled() {
        deployed("oom", 1);
        ContainerStatus status = new ContainerStatusBuilder(waiting("CrashLoopBackOff", "back-off 40s restarting"))
                .withRestartCount(3)
                .withNewLastState()
                .withNewTerminated()
                .withReason("OOMKilled")
                .withExitCode(137)
                .endTerminated()
                .endLastState()
                .build();
        pod("oom-1", "oom", status, null);

        var degraded = fixture.awaitCondition("oom", "Degraded", "True", "OOMKilled");

        assertThat(degraded.getMessage())
                .contains("pod oom-1", "OOMKilled", "restarted 3 times", "resources.limits.memory");
    }

    @Test
    void crashLoopNamesTheLastExitCode() {
        deployed("crash", 1);
        ContainerStatus status = new ContainerStatusBuilder(waiting("CrashLoopBackOff", "back-off 10s restarting"))
                .withRestartCount(1)
                .withNewLastState()
                .withNewTerminated()
                .withReason("Error")
                .withExitCode(3)
                .endTerminated()
                .endLastState()
                .build();
        pod("crash-1", "crash", status, null);

        var degraded = fixture.awaitCondition("crash", "Degraded", "True", "CrashLoopBackOff");

        assertThat(degraded.getMessage()).contains("keeps crashing", "last exit code 3", "restarted once");
    }

    @Test
    void unschedulablePodSaysWhyNoNodeTakesIt() {
        deployed("big", 1);
        PodCondition unschedulable = new PodConditionBuilder()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                .build();
        pod("big-1", "big", null, unschedulable);

        var ready = fixture.awaitCondition("big", "Ready", "False", "Unschedulable");

        assertThat(ready.getMessage())
                .contains("pod big-1", "cannot be scheduled", "0/3 nodes are available: 3 Insufficient memory.");
    }

    @Test
    void progressDeadlineExceededStopsProgressingAndDegrades() {
        deployed("stuck", 1);
        deploymentStatus("stuck", 1, 0, 1, "ProgressDeadlineExceeded");

        var progressing = fixture.awaitCondition("stuck", "Progressing", "False", "ProgressDeadlineExceeded");
        var degraded = fixture.awaitCondition("stuck", "Degraded", "True", "ProgressDeadlineExceeded");

        assertThat(progressing.getMessage()).contains("no progress within 600s");
        assertThat(degraded.getMessage()).contains("no progress within 600s");
    }

    @Test
    void everyOwnedObjectPointsBackAtTheApp() {
        AppSpec spec = imageSpec();
        spec.setPorts(List.of(port("http", 8080, null, null)));
        App app = fixture.apply("owned", spec);
        var deployment = await("Deployment", () -> fixture.deployment("owned"));
        var service = await(
                "Service",
                () -> client.services().inNamespace(NS).withName("owned").get());

        client.resource(app).delete();

        // The mock server has no garbage collector: on a cluster these references are what removes both.
        assertOwnedBy(deployment, app);
        assertOwnedBy(service, app);
    }

    private void deployed(String name, int replicas) {
        AppSpec spec = imageSpec();
        spec.setReplicas(replicas);
        fixture.apply(name, spec);
        await("Deployment " + name, () -> fixture.deployment(name));
    }

    private void deploymentStatus(String name, int replicas, int ready, int updated, String progressingReason) {
        var status = new DeploymentStatusBuilder()
                .withReplicas(replicas)
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withUpdatedReplicas(updated)
                .withObservedGeneration(1L);
        if (progressingReason != null) {
            status.withConditions(new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason(progressingReason)
                    .withMessage("ReplicaSet \"" + name + "-1\" has timed out progressing.")
                    .build());
        }
        client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> {
            d.setStatus(status.build());
            return d;
        });
    }

    private void pod(String name, String app, ContainerStatus container, PodCondition condition) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withLabels(labels(app))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/team/app")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
        if (container != null) {
            pod.getStatus().setContainerStatuses(List.of(container));
        }
        if (condition != null) {
            pod.getStatus().setConditions(List.of(condition));
        }
        client.resource(pod).create();
    }

    private static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder()
                .withName("app")
                .withImage("registry.example/team/app")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .build();
    }
}
