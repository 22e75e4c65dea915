package dev.berth.operator.app;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppStatus;
import dev.berth.operator.model.Image;
import dev.berth.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an App into its Deployment, Service and HorizontalPodAutoscaler. Each reconcile observes (spec
 * problems, the image to run, the Deployment and pods), applies the dependents only when the spec is sound
 * and the image known, and writes the status once.
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = AppReconciler.DEPLOYMENT, type = DeploymentDependent.class),
            @Dependent(
                    name = "service",
                    type = ServiceDependent.class,
                    reconcilePrecondition = ServiceDependent.HasPorts.class),
            @Dependent(
                    name = "hpa",
                    type = HpaDependent.class,
                    dependsOn = AppReconciler.DEPLOYMENT,
                    reconcilePrecondition = HpaDependent.HasAutoscaling.class)
        })
@ControllerConfiguration(name = AppReconciler.NAME)
public class AppReconciler implements Reconciler<App> {
    public static final String NAME = "app";
    static final String DEPLOYMENT = "deployment";
    private static final Logger log = LoggerFactory.getLogger(AppReconciler.class);

    private final String defaultRuntimeClass;
    private final AppImageResolver images;
    private final AppSpecValidator validator = new AppSpecValidator();
    private final PodDiagnosis diagnosis = new PodDiagnosis();
    private final AppStatusWriter statusWriter = new AppStatusWriter();
    private final Clock clock;

    /**
     * @param defaultRuntimeClass the RuntimeClass of Apps that name none
     * @param tags                tag look-ups through the operator's one image resolver, so a tag pins the same
     *                            way here as in an Image
     */
    public AppReconciler(String defaultRuntimeClass, TagDigests tags, Clock clock) {
        this.defaultRuntimeClass = defaultRuntimeClass;
        this.images = new AppImageResolver(tags);
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, App>> prepareEventSources(EventSourceContext<App> context) {
        return new AppEventSources().create(context);
    }

    @Override
    public UpdateControl<App> reconcile(App app, Context<App> context) {
        String id = app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
        Optional<Deployment> current = context.getSecondaryResource(Deployment.class);
        List<String> problems = validator.problems(app.getSpec());
        Optional<Image> referenced = context.getSecondaryResource(Image.class);
        ImageChoice choice = problems.isEmpty()
                ? images.choose(app, referenced, current)
                : new ImageChoice.Blocked("InvalidSpec", "the App's spec is invalid: " + String.join("; ", problems));

        if (choice instanceof ImageChoice.Run run) {
            String runtimeClass = app.getSpec().getRuntimeClassName() != null
                            && !app.getSpec().getRuntimeClassName().isBlank()
                    ? app.getSpec().getRuntimeClassName()
                    : defaultRuntimeClass;
            context.managedWorkflowAndDependentResourceContext()
                    .put(DesiredApp.class, new DesiredApp(run.image(), run.digest(), runtimeClass));
            context.managedWorkflowAndDependentResourceContext()
                    .reconcileManagedWorkflow()
                    .throwAggregateExceptionIfErrorsPresent();
            current = context.getSecondaryResource(Deployment.class);
        } else {
            log.info("app {}: not applied: {}", id, ((ImageChoice.Blocked) choice).message());
        }

        List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
        String named = app.getSpec().getImage() != null
                ? app.getSpec().getImage()
                : referenced
                        .map(i -> i.getSpec() == null ? null : i.getSpec().getImage())
                        .orElse(null);
        AppObservation seen = new AppObservation(choice, named, current.orElse(null), diagnosis.problems(pods));
        AppStatus status = statusWriter.status(app, seen, clock.instant());
        app.setStatus(status);
        UpdateControl<App> control = UpdateControl.patchStatus(app);
        Duration next = statusWriter.nextCheck(status, clock.instant());
        return next == null ? control : control.rescheduleAfter(next);
    }

    /** A failure of the API server (not of the App): say so in the status, then JOSDK's retry backs off. */
    @Override
    public ErrorStatusUpdateControl<App> updateErrorStatus(App app, Context<App> context, Exception e) {
        log.warn(
                "app {}/{}: reconcile failed: {}",
                app.getMetadata().getNamespace(),
                app.getMetadata().getName(),
                e.toString());
        AppStatus status = app.getStatus() == null ? new AppStatus() : app.getStatus();
        List<Condition> conditions =
                new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        conditions.removeIf(c -> AppStatus.DEGRADED.equals(c.getType()));
        conditions.addAll(
                new Conditions(status.getConditions(), app.getMetadata().getGeneration(), clock.instant())
                        .set(
                                AppStatus.DEGRADED,
                                true,
                                "ReconcileFailed",
                                "applying the App's objects failed (retrying): " + e.getMessage())
                        .build());
        status.setConditions(conditions);
        app.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(app);
    }
}
