package dev.berth.operator.process;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;

/** The reconcilers one process runs, built with their dependencies; {@link BerthControllers} is the jar's own. */
@FunctionalInterface
public interface Controllers {
    List<Reconciler<?>> create(Mode mode, KubernetesClient client, OperatorSettings settings);
}
