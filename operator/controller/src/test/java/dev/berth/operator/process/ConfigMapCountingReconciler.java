package dev.berth.operator.process;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** A do-nothing controller, so the process tests see a registered reconciler run without the real ones. */
@ControllerConfiguration(name = ConfigMapCountingReconciler.NAME)
public class ConfigMapCountingReconciler implements Reconciler<ConfigMap> {
    static final String NAME = "test-configmaps";

    private final KubernetesClient client;

    public ConfigMapCountingReconciler(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public UpdateControl<ConfigMap> reconcile(ConfigMap resource, Context<ConfigMap> ctx) {
        if (client == null) {
            throw new IllegalStateException("the wiring handed over no client");
        }
        return UpdateControl.noUpdate();
    }
}
