package dev.berth.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRDs carry what kubectl and the API server need: subresource, columns, names, validation. */
class CrdSchemaTest {
    private final Path crds = Path.of(System.getProperty("berth.crds.committed", "../../crds"));
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void imageCrdHasStatusSubresourceColumnsAndShortName() throws IOException {
        CustomResourceDefinition crd = crd("images.berth.dev-v1.yml");
        CustomResourceDefinitionVersion v = version(crd);

        assertThat(crd.getSpec().getGroup()).isEqualTo("berth.dev");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("Image");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("images");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("img");
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactlyInAnyOrder("IMAGE", "DIGEST", "RESOLVED", "DESIRED", "PULLED", "AGE");
        assertThat(column(v, "PULLED").getJsonPath()).isEqualTo(".status.prePull.pulled");
        assertThat(column(v, "RESOLVED").getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Resolved\")].status");
        assertThat(column(v, "AGE").getType()).isEqualTo("date");
    }

    @Test
    void imageSpecRequiresImageAndValidatesPatterns() throws IOException {
        JSONSchemaProps spec = schema(crd("images.berth.dev-v1.yml"), "spec");

        assertThat(spec.getRequired()).containsExactly("image");
        assertThat(spec.getProperties().get("image").getPattern()).isEqualTo(ImageSpec.IMAGE_REFERENCE);
        assertThat(spec.getProperties().get("updateInterval").getPattern()).isEqualTo("^([0-9]+(s|m|h))+$");
        assertThat(spec.getProperties()
                        .get("prePull")
                        .getProperties()
                        .get("nodeSelector")
                        .getAdditionalProperties()
                        .getSchema()
                        .getType())
                .isEqualTo("string");
    }

    @Test
    void imageStatusHasConditionsPrePullCountsAndSize() throws IOException {
        JSONSchemaProps status = schema(crd("images.berth.dev-v1.yml"), "status");

        assertThat(status.getProperties())
                .containsKeys(
                        "digest", "resolvedAt", "size", "platforms", "prePull", "conditions", "observedGeneration")
                .doesNotContainKey("nodes");
        assertThat(status.getProperties().get("size").getType()).isEqualTo("integer");
        JSONSchemaProps prePull = status.getProperties().get("prePull");
        assertThat(prePull.getProperties()).containsKeys("desired", "pulled", "failed", "pending", "nodes");
        assertThat(prePull.getProperties().get("nodes").getItems().getSchema().getProperties())
                .containsOnlyKeys("node", "state", "message");
        assertThat(status.getProperties()
                        .get("conditions")
                        .getItems()
                        .getSchema()
                        .getProperties())
                .containsKeys("type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
    }

    @Test
    void imagePullCrdIsNamespacedWithStatusSubresourceAndColumns() throws IOException {
        CustomResourceDefinition crd = crd("imagepulls.berth.dev-v1.yml");
        CustomResourceDefinitionVersion v = version(crd);

        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("ImagePull");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("imgpull");
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactlyInAnyOrder("IMAGE", "NODE", "DIGEST", "PULLED", "AGE");
        assertThat(schema(crd, "spec").getRequired()).containsExactlyInAnyOrder("image", "node");
        assertThat(schema(crd, "status").getProperties()).containsOnlyKeys("digest", "pulled", "message", "time");
    }

    @Test
    void appCrdHasStatusSubresourceColumnsAndShortName() throws IOException {
        CustomResourceDefinition crd = crd("apps.berth.dev-v1.yml");
        CustomResourceDefinitionVersion v = version(crd);

        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("App");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("bapp");
        assertThat(v.getSubresources().getStatus()).isNotNull();
        assertThat(v.getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .contains("IMAGE", "READY", "DIGEST", "AGE");
        assertThat(column(v, "READY").getJsonPath()).isEqualTo(".status.readyReplicas");
        assertThat(column(v, "DIGEST").getJsonPath()).isEqualTo(".status.imageDigest");
        // the reconciler fills status.image for imageRef Apps too; spec.image would leave their column empty
        assertThat(column(v, "IMAGE").getJsonPath()).isEqualTo(".status.image");
    }

    @Test
    void appSpecValidatesImageChoiceDefaultsAndRanges() throws IOException {
        JSONSchemaProps spec = schema(crd("apps.berth.dev-v1.yml"), "spec");

        assertThat(spec.getXKubernetesValidations())
                .extracting(ValidationRule::getRule)
                .containsExactly("has(self.image) != has(self.imageRef)");
        JSONSchemaProps replicas = spec.getProperties().get("replicas");
        assertThat(replicas.getMinimum()).isEqualTo(0.0);
        assertThat(replicas.getDefault().asInt()).isEqualTo(1);
        assertThat(spec.getProperties()
                        .get("progressDeadlineSeconds")
                        .getDefault()
                        .asInt())
                .isEqualTo(600);

        JSONSchemaProps port = spec.getProperties().get("ports").getItems().getSchema();
        assertThat(port.getRequired()).containsExactly("containerPort");
        assertThat(port.getProperties().get("containerPort").getMinimum()).isEqualTo(1.0);
        assertThat(port.getProperties().get("containerPort").getMaximum()).isEqualTo(65535.0);
        assertThat(port.getProperties().get("protocol").getEnum())
                .extracting(n -> n.asText())
                .containsExactlyInAnyOrder("TCP", "UDP", "SCTP");
        assertThat(port.getProperties().get("protocol").getDefault().asText()).isEqualTo("TCP");

        JSONSchemaProps autoscaling = spec.getProperties().get("autoscaling");
        assertThat(autoscaling.getRequired()).containsExactly("maxReplicas");
        assertThat(autoscaling.getProperties().get("minReplicas").getMinimum()).isEqualTo(1.0);
        assertThat(autoscaling
                        .getProperties()
                        .get("targetCPUUtilizationPercentage")
                        .getMaximum())
                .isEqualTo(100.0);

        assertThat(spec.getProperties()
                        .get("strategy")
                        .getProperties()
                        .get("type")
                        .getEnum())
                .extracting(n -> n.asText())
                .containsExactlyInAnyOrder("RollingUpdate", "Recreate");
        assertThat(spec.getProperties()
                        .get("strategy")
                        .getProperties()
                        .get("maxSurge")
                        .getXKubernetesIntOrString())
                .isTrue();
    }

    @Test
    void appVolumesAndHealthCheckNeedExactlyOneSource() throws IOException {
        JSONSchemaProps spec = schema(crd("apps.berth.dev-v1.yml"), "spec");

        JSONSchemaProps volume = spec.getProperties().get("volumes").getItems().getSchema();
        assertThat(volume.getRequired()).containsExactlyInAnyOrder("name", "mountPath");
        assertThat(volume.getProperties())
                .containsKeys("emptyDir", "configMap", "secret", "persistentVolumeClaim", "readOnly");
        assertThat(volume.getXKubernetesValidations())
                .singleElement()
                .extracting(ValidationRule::getRule)
                .asString()
                .contains("exists_one");
        assertThat(spec.getProperties().get("healthCheck").getXKubernetesValidations())
                .extracting(ValidationRule::getRule)
                .containsExactly("has(self.path) != has(self.command)");
    }

    @Test
    void appStatusHasReadinessDigestUrlAndConditions() throws IOException {
        JSONSchemaProps status = schema(crd("apps.berth.dev-v1.yml"), "status");

        assertThat(status.getProperties())
                .containsKeys("readyReplicas", "imageDigest", "url", "conditions", "observedGeneration");
    }

    private CustomResourceDefinition crd(String name) throws IOException {
        try (InputStream in = Files.newInputStream(crds.resolve(name))) {
            return serialization.unmarshal(in, CustomResourceDefinition.class);
        }
    }

    private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        return crd.getSpec().getVersions().get(0);
    }

    private static JSONSchemaProps schema(CustomResourceDefinition crd, String property) {
        return version(crd).getSchema().getOpenAPIV3Schema().getProperties().get(property);
    }

    private static CustomResourceColumnDefinition column(CustomResourceDefinitionVersion v, String name) {
        return v.getAdditionalPrinterColumns().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
