package dev.berth.operator.app;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.Strategy;
import dev.berth.operator.model.StrategyType;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;

/**
 * The App's Deployment, applied server-side. Its image and RuntimeClass come from the {@link DesiredApp}
 * the reconciler put into the workflow context; replicas are left out while autoscaling is on, so the
 * HorizontalPodAutoscaler owns that field.
 */
public class DeploymentDependent extends AppOwnedDependent<Deployment> {
    /** The App's {@code spec.image} the pinned digest was resolved from, so a later reconcile can keep it. */
    public static final String IMAGE_SOURCE_ANNOTATION = "berth.dev/image-source";

    private final ContainerMapper containers = new ContainerMapper();
    private final VolumeMapper volumes = new VolumeMapper();

    public DeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(App app, Context<App> context) {
        DesiredApp desired =
                context.managedWorkflowAndDependentResourceContext().getMandatory(DesiredApp.class, DesiredApp.class);
        AppSpec spec = app.getSpec();
        Map<String, String> labels = AppLabels.of(app);
        String source = spec.getImage() != null ? spec.getImage() : "imageRef:" + spec.getImageRef();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(app.getMetadata().getName())
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(Map.of(IMAGE_SOURCE_ANNOTATION, source))
                .endMetadata()
                .withNewSpec()
                .withReplicas(spec.getAutoscaling() != null ? null : replicas(spec))
                .withProgressDeadlineSeconds(spec.getProgressDeadlineSeconds())
                .withStrategy(strategy(spec.getStrategy()))
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withRuntimeClassName(desired.runtimeClassName())
                .withContainers(containers.container(spec, desired.image()))
                .withVolumes(volumes.volumes(spec.getVolumes()))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Integer replicas(AppSpec spec) {
        return spec.getReplicas() == null ? 1 : spec.getReplicas();
    }

    private static DeploymentStrategy strategy(Strategy strategy) {
        if (strategy == null || strategy.getType() == null) {
            return null;
        }
        DeploymentStrategyBuilder builder =
                new DeploymentStrategyBuilder().withType(strategy.getType().name());
        if (strategy.getType() == StrategyType.RollingUpdate
                && (strategy.getMaxSurge() != null || strategy.getMaxUnavailable() != null)) {
            builder.withNewRollingUpdate()
                    .withMaxSurge(strategy.getMaxSurge())
                    .withMaxUnavailable(strategy.getMaxUnavailable())
                    .endRollingUpdate();
        }
        return builder.build();
    }
}
