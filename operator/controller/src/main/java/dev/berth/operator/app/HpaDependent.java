package dev.berth.operator.app;

import dev.berth.operator.model.App;
import dev.berth.operator.model.Autoscaling;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.List;

/** An autoscaling/v2 HorizontalPodAutoscaler on CPU for the App's Deployment, while spec.autoscaling is set. */
public class HpaDependent extends AppOwnedDependent<HorizontalPodAutoscaler> {
    /** Kubernetes' own default when an HPA names no metric. */
    static final int DEFAULT_CPU_PERCENT = 80;

    public HpaDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler desired(App app, Context<App> context) {
        Autoscaling autoscaling = app.getSpec().getAutoscaling();
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName(app.getMetadata().getName())
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(AppLabels.of(app))
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(app.getMetadata().getName())
                .endScaleTargetRef()
                .withMinReplicas(autoscaling.getMinReplicas() == null ? 1 : autoscaling.getMinReplicas())
                .withMaxReplicas(autoscaling.getMaxReplicas())
                .withMetrics(cpu(autoscaling))
                .endSpec()
                .build();
    }

    private static List<MetricSpec> cpu(Autoscaling autoscaling) {
        int percent = autoscaling.getTargetCPUUtilizationPercentage() == null
                ? DEFAULT_CPU_PERCENT
                : autoscaling.getTargetCPUUtilizationPercentage();
        return List.of(new MetricSpecBuilder()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(percent)
                .endTarget()
                .endResource()
                .build());
    }

    /** Reconcile precondition: when autoscaling is removed from the App, the HPA is deleted. */
    public static final class HasAutoscaling implements Condition<HorizontalPodAutoscaler, App> {
        @Override
        public boolean isMet(DependentResource<HorizontalPodAutoscaler, App> dependent, App app, Context<App> context) {
            return app.getSpec().getAutoscaling() != null;
        }
    }
}
