package dev.berth.operator.app;

import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.image.ImageResolver;
import dev.berth.operator.image.PullSecrets;
import dev.berth.operator.model.App;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.process.OperatorSettings;
import dev.berth.operator.process.ServerSideApply;
import dev.berth.operator.testing.SimulatedApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DefaultContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.dependent.workflow.ManagedWorkflowFactory;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The App controller as the operator process builds it (JOSDK configured by {@link ServerSideApply} from the
 * production default settings, dependents resolved from the reconciler's workflow the way JOSDK's Controller
 * resolves them), never started: the tests drive its dependents' desired state and matching by hand against
 * objects shaped by a {@link SimulatedApiServer}. The client points at a closed local port; nothing calls it.
 */
final class SsaMatchFixture implements AutoCloseable {
    static final String NS = "shop";
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String IMAGE = "registry.example/shop/web@" + DIGEST;

    final OperatorSettings settings = OperatorSettings.parse(List.of(), Map.of());
    private final KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
            .build();
    private final RegistryClient registry = new RegistryClient(RegistryConfig.empty());
    private final Controller<App> controller;
    private final Map<String, DependentResource> dependents;
    final SimulatedApiServer server = new SimulatedApiServer(client.getKubernetesSerialization());
    // InformerEventSource's per-source id; any value does, the matcher copies the stored one into desired
    private final String previousId = UUID.randomUUID().toString();

    @SuppressWarnings({"unchecked", "rawtypes"})
    SsaMatchFixture() {
        Operator operator = new Operator(o -> ServerSideApply.configure(
                o.withKubernetesClient(client).withCloseClientOnStop(false).checkingCRDAndValidateLocalModel(false),
                settings.serverSideApply()));
        AppReconciler reconciler = new AppReconciler(
                settings.runtimeClassName(),
                new TagDigests(
                        new ImageResolver(registry, new PullSecrets(client), Platform.host(), Clock.systemUTC()),
                        TagDigests.DEFAULT_TTL,
                        Clock.systemUTC()),
                Clock.systemUTC());
        controller = (Controller<App>) operator.register(reconciler);
        ControllerConfiguration<App> config = controller.getConfiguration();
        ManagedWorkflowFactory factory = config.getConfigurationService().getWorkflowFactory();
        dependents = factory.workflowFor(config).resolve(client, config).getDependentResourcesByName();
    }

    ControllerConfiguration<App> configuration() {
        return controller.getConfiguration();
    }

    static App app(String name, AppSpec spec) {
        App app = new App();
        app.getMetadata().setName(name);
        app.getMetadata().setNamespace(NS);
        app.getMetadata().setUid(UUID.nameUUIDFromBytes(name.getBytes()).toString());
        app.getMetadata().setGeneration(1L);
        app.setSpec(spec);
        return app;
    }

    /** A reconcile's context, with what AppReconciler puts in before it runs the workflow. */
    Context<App> context(App app, String image) {
        DefaultContext<App> context = new DefaultContext<>(null, controller, app, false, false);
        String digest = image.contains("@") ? image.substring(image.indexOf('@') + 1) : null;
        context.managedWorkflowAndDependentResourceContext()
                .put(DesiredApp.class, new DesiredApp(image, digest, settings.runtimeClassName()));
        return context;
    }

    AppOwnedDependent<?> dependent(String name) {
        return (AppOwnedDependent<?>) dependents.get(name);
    }

    /** The workflow's dependents whose reconcile precondition holds for the App (those JOSDK would apply). */
    List<String> applicable(App app, Context<App> context) {
        List<String> names = new java.util.ArrayList<>(List.of(AppReconciler.DEPLOYMENT));
        if (new ServiceDependent.HasPorts().isMet(null, app, context)) {
            names.add("service");
        }
        if (new HpaDependent.HasAutoscaling().isMet(null, app, context)) {
            names.add("hpa");
        }
        return names;
    }

    /**
     * What JOSDK sends on the first apply (KubernetesDependentResource.create): the dependent's desired object,
     * the owner reference, and the previous-version annotation unless the kind is on JOSDK's blocklist.
     */
    HasMetadata applied(AppOwnedDependent<?> dependent, App app, Context<App> context) {
        HasMetadata desired = desired(dependent, app, context);
        addOwner(dependent, desired, app);
        var service = configuration().getConfigurationService();
        if (service.previousAnnotationForDependentResourcesEventFiltering()
                && !service.withPreviousAnnotationForDependentResourcesBlocklist()
                        .contains(dependent.resourceType())) {
            desired.getMetadata().getAnnotations().put(InformerEventSource.PREVIOUS_ANNOTATION_KEY, previousId);
        }
        return desired;
    }

    /** The object the informer holds after the first apply of the App's dependent. */
    HasMetadata stored(AppOwnedDependent<?> dependent, App app, Context<App> context) {
        return server.apply(applied(dependent, app, context), configuration().fieldManager());
    }

    static HasMetadata desired(AppOwnedDependent<?> dependent, App app, Context<App> context) {
        return switch (dependent) {
            case DeploymentDependent d -> d.desired(app, context);
            case ServiceDependent s -> s.desired(app, context);
            case HpaDependent h -> h.desired(app, context);
            default -> throw new IllegalArgumentException("unknown dependent " + dependent.getClass());
        };
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> void addOwner(AppOwnedDependent<R> dependent, HasMetadata target, App app) {
        dependent.addReferenceHandlingMetadata((R) target, app);
    }

    @Override
    public void close() {
        registry.close();
        client.close();
    }
}
