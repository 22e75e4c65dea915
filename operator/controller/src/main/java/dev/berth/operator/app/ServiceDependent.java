package dev.berth.operator.app;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.List;

/** A ClusterIP Service named like the App, exposing every declared port; none when the App declares none. */
public class ServiceDependent extends AppOwnedDependent<Service> {

    public ServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(App app, Context<App> context) {
        List<ServicePort> ports =
                app.getSpec().getPorts().stream().map(ServiceDependent::port).toList();
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(app.getMetadata().getName())
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(AppLabels.of(app))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(AppLabels.of(app))
                .withPorts(ports)
                .endSpec()
                .build();
    }

    private static ServicePort port(AppPort port) {
        return new ServicePortBuilder()
                .withName(AppPorts.name(port))
                .withProtocol(AppPorts.protocol(port))
                .withPort(AppPorts.servicePort(port))
                // by name, so the Service follows the container if its port number changes
                .withTargetPort(new IntOrString(AppPorts.name(port)))
                .build();
    }

    /** Reconcile precondition: when it turns false the existing Service is deleted. */
    public static final class HasPorts implements Condition<Service, App> {
        @Override
        public boolean isMet(DependentResource<Service, App> dependent, App app, Context<App> context) {
            return app.getSpec().getPorts() != null && !app.getSpec().getPorts().isEmpty();
        }
    }
}
