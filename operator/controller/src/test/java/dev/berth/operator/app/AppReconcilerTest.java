package dev.berth.operator.app;

import static dev.berth.operator.app.AppOperatorFixture.NS;
import static dev.berth.operator.app.AppOperatorFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppPort;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.AppVolume;
import dev.berth.operator.model.Autoscaling;
import dev.berth.operator.model.ConfigMapSource;
import dev.berth.operator.model.EmptyDirSource;
import dev.berth.operator.model.HealthCheck;
import dev.berth.operator.model.PersistentVolumeClaimSource;
import dev.berth.operator.model.Protocol;
import dev.berth.operator.model.SecretSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The App's Deployment, Service and HPA, as the reconciler applies them to a CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class AppReconcilerTest {
    static KubernetesClient client;

    static final String DIGEST = "sha256:" + "a".repeat(64);
    static final String NEW_DIGEST = "sha256:" + "b".repeat(64);

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
    void appWithImageAndPortsGetsOwnedDeploymentAndServiceWithTheSpecMapped() {
        AppSpec spec = new AppSpec();
        spec.setImage("registry.example:5000/team/web@" + DIGEST);
        spec.setReplicas(3);
        spec.setCommand(List.of("httpd"));
        spec.setArgs(List.of("-f", "-p", "8080"));
        spec.setEnv(List.of(new EnvVar("GREETING", "hello", null)));
        spec.setEnvFrom(List.of(new EnvFromSourceBuilder()
                .withNewConfigMapRef()
                .withName("settings")
                .endConfigMapRef()
                .build()));
        spec.setPorts(List.of(port("http", 8080, 80, null), port(null, 9090, null, Protocol.UDP)));
        spec.setResources(new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("64Mi"))
                .addToRequests("cpu", new Quantity("50m"))
                .build());
        HealthCheck check = new HealthCheck();
        check.setPath("/healthz");
        check.setPeriodSeconds(7);
        spec.setHealthCheck(check);
        spec.setVolumes(List.of(
                emptyDir("scratch", "/tmp"),
                configMap("conf", "/etc/web", "web-config"),
                secret("creds", "/run/secrets/web", "web-secret"),
                claim("data", "/data", "web-data")));
        App app = fixture.apply("web", spec);

        Deployment deployment = await("Deployment web", () -> fixture.deployment("web"));
        Service service = await(
                "Service web",
                () -> client.services().inNamespace(NS).withName("web").get());

        assertOwnedBy(deployment, app);
        assertOwnedBy(service, app);
        assertThat(deployment.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "web")
                .containsEntry("app.kubernetes.io/managed-by", "berth-operator");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getRuntimeClassName()).isEqualTo("berth");
        Container c = pod.getContainers().getFirst();
        assertThat(c.getImage()).isEqualTo("registry.example:5000/team/web@" + DIGEST);
        assertThat(c.getCommand()).containsExactly("httpd");
        assertThat(c.getArgs()).containsExactly("-f", "-p", "8080");
        assertThat(c.getEnv()).extracting(EnvVar::getName).containsExactly("GREETING");
        assertThat(c.getEnvFrom().getFirst().getConfigMapRef().getName()).isEqualTo("settings");
        assertThat(c.getPorts())
                .extracting(p -> p.getName() + "/" + p.getContainerPort() + "/" + p.getProtocol())
                .containsExactly("http/8080/TCP", "udp-9090/9090/UDP");
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("64Mi"));
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8080);
        assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(7);
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getVolumeMounts())
                .extracting(m -> m.getName() + ":" + m.getMountPath())
                .containsExactly("scratch:/tmp", "conf:/etc/web", "creds:/run/secrets/web", "data:/data");
        assertThat(pod.getVolumes()).hasSize(4);
        assertThat(pod.getVolumes().get(0).getEmptyDir()).isNotNull();
        assertThat(pod.getVolumes().get(1).getConfigMap().getName()).isEqualTo("web-config");
        assertThat(pod.getVolumes().get(2).getSecret().getSecretName()).isEqualTo("web-secret");
        assertThat(pod.getVolumes().get(3).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("web-data");
        assertThat(service.getSpec().getPorts())
                .extracting(p -> p.getName() + ":" + p.getPort() + "->"
                        + p.getTargetPort().getStrVal() + "/" + p.getProtocol())
                .containsExactly("http:80->http/TCP", "udp-9090:9090->udp-9090/UDP");
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

        App withStatus = await("status", () -> fixture.app("web").getStatus() == null ? null : fixture.app("web"));
        assertThat(withStatus.getStatus().getUrl()).isEqualTo("http://web.test.svc.cluster.local:80");
        assertThat(withStatus.getStatus().getImageDigest()).isEqualTo(DIGEST);
    }

    @Test
    void autoscalingAddsAnHpaAndLeavesReplicasToIt() {
        AppSpec spec = imageSpec();
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setMinReplicas(2);
        autoscaling.setMaxReplicas(5);
        autoscaling.setTargetCPUUtilizationPercentage(70);
        spec.setAutoscaling(autoscaling);
        App app = fixture.apply("scaled", spec);

        HorizontalPodAutoscaler hpa = await(
                "HPA",
                () -> client.autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace(NS)
                        .withName("scaled")
                        .get());
        Deployment deployment = fixture.deployment("scaled");

        assertOwnedBy(hpa, app);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("scaled");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
        assertThat(hpa.getSpec()
                        .getMetrics()
                        .getFirst()
                        .getResource()
                        .getTarget()
                        .getAverageUtilization())
                .isEqualTo(70);
        assertThat(deployment.getSpec().getReplicas())
                .as("the HPA owns replicas")
                .isNull();
        assertThat(client.services().inNamespace(NS).withName("scaled").get())
                .as("no ports, no Service")
                .isNull();
    }

    @Test
    void imageRefPinsTheDigestAndFollowsTheImageToItsNextDigest() {
        fixture.image("hello", "registry.example/team/hello:v1", DIGEST);
        AppSpec spec = new AppSpec();
        spec.setImageRef("hello");
        fixture.apply("hello", spec);

        await(
                "Deployment pinned to the Image's digest",
                () -> imageOf("hello").equals("registry.example/team/hello@" + DIGEST));

        fixture.image("hello", "registry.example/team/hello:v1", NEW_DIGEST);

        await(
                "Deployment rolled to the new digest",
                () -> imageOf("hello").equals("registry.example/team/hello@" + NEW_DIGEST));
        await(
                "status names the new digest",
                () -> NEW_DIGEST.equals(fixture.app("hello").getStatus().getImageDigest()));
    }

    @Test
    void missingImageIsDegradedImageNotFoundUntilItAppears() {
        AppSpec spec = new AppSpec();
        spec.setImageRef("later");
        fixture.apply("waiting", spec);

        var degraded = fixture.awaitCondition("waiting", "Degraded", "True", "ImageNotFound");

        assertThat(degraded.getMessage()).contains("Image 'later' does not exist in namespace test");
        assertThat(fixture.condition("waiting", "Progressing"))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        assertThat(fixture.deployment("waiting")).isNull();

        fixture.image("later", "registry.example/later:1", DIGEST);
        await("Deployment once the Image resolved", () -> fixture.deployment("waiting"));
    }

    @Test
    void unresolvedImageIsDegradedImageNotResolvedAndLeavesTheDeploymentAlone() {
        fixture.image("pending", "registry.example/pending:1", null);
        AppSpec spec = new AppSpec();
        spec.setImageRef("pending");
        fixture.apply("pending-app", spec);

        var degraded = fixture.awaitCondition("pending-app", "Degraded", "True", "ImageNotResolved");

        assertThat(degraded.getMessage()).contains("Image 'pending'", "has no digest yet");
        assertThat(fixture.deployment("pending-app")).isNull();
    }

    @Test
    void invalidSpecIsDegradedInvalidSpecWithEveryProblemAndAppliesNothing() {
        AppSpec spec = imageSpec();
        spec.setPorts(List.of(port("web", 8080, null, null), port("web", 8081, null, null)));
        AppVolume sourceless = new AppVolume();
        sourceless.setName("nothing");
        sourceless.setMountPath("/nothing");
        spec.setVolumes(List.of(sourceless));
        fixture.apply("broken", spec);

        var degraded = fixture.awaitCondition("broken", "Degraded", "True", "InvalidSpec");

        assertThat(degraded.getMessage())
                .contains("the name 'web' is used twice", "volume 'nothing' needs exactly one source");
        assertThat(fixture.deployment("broken")).isNull();
        assertThat(client.services().inNamespace(NS).withName("broken").get()).isNull();
    }

    @Test
    void droppingThePortsDeletesTheService() {
        AppSpec spec = imageSpec();
        spec.setPorts(List.of(port("http", 8080, null, null)));
        fixture.apply("shrinking", spec);
        await(
                "Service",
                () -> client.services().inNamespace(NS).withName("shrinking").get());

        fixture.patchSpec("shrinking", "{\"ports\":null}");

        await(
                "Service gone",
                () -> client.services().inNamespace(NS).withName("shrinking").get() == null);
        // the status is written after the dependents are reconciled, so the URL goes a moment after the Service
        await("status.url cleared", () -> fixture.app("shrinking").getStatus().getUrl() == null);
    }

    private String imageOf(String deployment) {
        Deployment d = fixture.deployment(deployment);
        return d == null
                ? ""
                : d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    }

    static AppSpec imageSpec() {
        AppSpec spec = new AppSpec();
        spec.setImage("registry.example/team/app@" + DIGEST);
        return spec;
    }

    static void assertOwnedBy(HasMetadata owned, App app) {
        List<OwnerReference> refs = owned.getMetadata().getOwnerReferences();
        assertThat(refs)
                .as("ownerReferences of " + owned.getKind() + " " + owned.getMetadata())
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getKind()).isEqualTo("App");
                    assertThat(r.getApiVersion()).isEqualTo("berth.dev/v1alpha1");
                    assertThat(r.getName()).isEqualTo(app.getMetadata().getName());
                    assertThat(r.getUid()).isEqualTo(app.getMetadata().getUid());
                    assertThat(r.getController()).isTrue();
                });
    }

    static AppPort port(String name, int containerPort, Integer servicePort, Protocol protocol) {
        AppPort port = new AppPort();
        port.setName(name);
        port.setContainerPort(containerPort);
        port.setServicePort(servicePort);
        if (protocol != null) {
            port.setProtocol(protocol);
        }
        return port;
    }

    private static AppVolume volume(String name, String path) {
        AppVolume v = new AppVolume();
        v.setName(name);
        v.setMountPath(path);
        return v;
    }

    private static AppVolume emptyDir(String name, String path) {
        AppVolume v = volume(name, path);
        v.setEmptyDir(new EmptyDirSource());
        return v;
    }

    private static AppVolume configMap(String name, String path, String map) {
        AppVolume v = volume(name, path);
        ConfigMapSource source = new ConfigMapSource();
        source.setName(map);
        v.setConfigMap(source);
        return v;
    }

    private static AppVolume secret(String name, String path, String secret) {
        AppVolume v = volume(name, path);
        SecretSource source = new SecretSource();
        source.setSecretName(secret);
        v.setSecret(source);
        return v;
    }

    private static AppVolume claim(String name, String path, String claim) {
        AppVolume v = volume(name, path);
        PersistentVolumeClaimSource source = new PersistentVolumeClaimSource();
        source.setClaimName(claim);
        v.setPersistentVolumeClaim(source);
        v.setReadOnly(true);
        return v;
    }

    static Map<String, String> labels(String app) {
        return Map.of("app.kubernetes.io/name", app, "app.kubernetes.io/managed-by", "berth-operator");
    }
}
