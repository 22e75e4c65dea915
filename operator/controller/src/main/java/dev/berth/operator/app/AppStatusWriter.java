package dev.berth.operator.app;

import static dev.berth.operator.model.AppStatus.DEGRADED;
import static dev.berth.operator.model.AppStatus.PROGRESSING;
import static dev.berth.operator.model.AppStatus.READY;

import dev.berth.operator.model.App;
import dev.berth.operator.model.AppPort;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.AppStatus;
import dev.berth.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The App's whole status from one {@link AppObservation}: replicas, digest, URL and the three conditions
 * (Ready, Progressing, Degraded) with reasons a developer can act on. Also how soon to look again.
 */
public final class AppStatusWriter {
    /** The first retry of a blocked App; it doubles (by the age of the Degraded condition) up to MAX_BACKOFF. */
    static final Duration MIN_BACKOFF = Duration.ofSeconds(30);

    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Pod and Deployment events drive a rollout; this only catches what no event reports. */
    static final Duration ROLLOUT_RECHECK = Duration.ofSeconds(60);

    private static final int PROBLEM_LINES = 3;

    public AppStatus status(App app, AppObservation seen, Instant now) {
        AppStatus previous = app.getStatus() == null ? new AppStatus() : app.getStatus();
        AppSpec spec = app.getSpec();
        Deployment deployment = seen.deployment();
        DeploymentStatus ds =
                deployment == null || deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        int ready = orZero(ds.getReadyReplicas());
        int wanted = wantedReplicas(spec, deployment);
        boolean deadline = deploymentCondition(ds, "Progressing")
                .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
                .isPresent();
        String pods = PodDiagnosis.summarize(seen.pods(), PROBLEM_LINES);
        String replicas = ready + "/" + wanted + " replicas ready";

        AppStatus status = new AppStatus();
        status.setObservedGeneration(app.getMetadata().getGeneration());
        status.setReadyReplicas(ready);
        status.setUrl(url(app));
        // a deleted Image leaves the Deployment running what it ran, so the column keeps saying so
        status.setImage(seen.image() != null ? seen.image() : previous.getImage());
        Conditions conditions =
                new Conditions(previous.getConditions(), app.getMetadata().getGeneration(), now);

        boolean isReady = deployment != null && ready >= wanted;
        if (isReady) {
            conditions.set(READY, true, wanted == 0 ? "ScaledToZero" : "AllReplicasReady", replicas);
        } else {
            String reason = deployment == null
                    ? "NoDeployment"
                    : seen.pods().isEmpty()
                            ? "PodsNotReady"
                            : seen.pods().getFirst().reason();
            conditions.set(READY, false, reason, pods.isEmpty() ? replicas : replicas + ": " + pods);
        }

        if (seen.choice() instanceof ImageChoice.Blocked blocked) {
            status.setImageDigest(previous.getImageDigest());
            conditions.set(
                    PROGRESSING,
                    false,
                    blocked.reason(),
                    "nothing is rolled out until this is fixed: " + blocked.message());
            conditions.set(DEGRADED, true, blocked.reason(), blocked.message());
        } else {
            ImageChoice.Run run = (ImageChoice.Run) seen.choice();
            status.setImageDigest(run.digest());
            String note = run.note() == null ? "" : "; " + run.note();
            if (deadline) {
                String why = "the rollout made no progress within " + spec.getProgressDeadlineSeconds() + "s"
                        + (pods.isEmpty() ? "" : ": " + pods);
                conditions.set(PROGRESSING, false, "ProgressDeadlineExceeded", why + note);
                conditions.set(DEGRADED, true, "ProgressDeadlineExceeded", why);
            } else {
                boolean done = isReady && rolledOut(ds, wanted);
                conditions.set(
                        PROGRESSING,
                        !done,
                        done ? "RolloutComplete" : "RollingOut",
                        (done ? "running " : "rolling out ") + describeImage(run) + ", " + replicas + note);
                if (!seen.pods().isEmpty()) {
                    conditions.set(DEGRADED, true, seen.pods().getFirst().reason(), pods);
                } else {
                    conditions.set(
                            DEGRADED,
                            false,
                            run.note() == null ? "AsExpected" : "ImageNotPinned",
                            run.note() == null ? "" : run.note());
                }
            }
        }
        status.setConditions(conditions.build());
        return status;
    }

    /** When to reconcile again although no event came: backoff while blocked, a slow recheck while rolling out. */
    public Duration nextCheck(AppStatus status, Instant now) {
        var degraded = Conditions.find(status.getConditions(), DEGRADED);
        boolean blocked = Conditions.find(status.getConditions(), PROGRESSING)
                .filter(c -> "False".equals(c.getStatus()) && !"RolloutComplete".equals(c.getReason()))
                .isPresent();
        boolean unpinned =
                degraded.filter(c -> "ImageNotPinned".equals(c.getReason())).isPresent();
        if ((blocked || unpinned) && degraded.isPresent()) {
            Duration age = Duration.between(Instant.parse(degraded.get().getLastTransitionTime()), now);
            return clamp(age, MIN_BACKOFF, MAX_BACKOFF);
        }
        boolean ready = Conditions.find(status.getConditions(), READY)
                .filter(c -> "True".equals(c.getStatus()))
                .isPresent();
        return ready ? null : ROLLOUT_RECHECK;
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    private static String describeImage(ImageChoice.Run run) {
        return run.image();
    }

    /** The HPA owns the count while autoscaling; the Deployment's spec then says what it chose. */
    private static int wantedReplicas(AppSpec spec, Deployment deployment) {
        if (spec.getAutoscaling() != null) {
            if (deployment != null
                    && deployment.getSpec() != null
                    && deployment.getSpec().getReplicas() != null) {
                return deployment.getSpec().getReplicas();
            }
            Integer min = spec.getAutoscaling().getMinReplicas();
            return min == null ? 1 : min;
        }
        return spec.getReplicas() == null ? 1 : spec.getReplicas();
    }

    /** No pod of an older template is left (Kubernetes' own rollout-complete test, minus the generation check). */
    private static boolean rolledOut(DeploymentStatus ds, int wanted) {
        Integer updated = ds.getUpdatedReplicas();
        Integer total = ds.getReplicas();
        return (updated == null || updated >= wanted) && (total == null || updated == null || total <= updated);
    }

    private static java.util.Optional<DeploymentCondition> deploymentCondition(DeploymentStatus ds, String type) {
        List<DeploymentCondition> conditions = ds.getConditions();
        return conditions == null
                ? java.util.Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String url(App app) {
        List<AppPort> ports = app.getSpec().getPorts();
        if (ports == null || ports.isEmpty() || ports.getFirst().getContainerPort() == null) {
            return null;
        }
        return "http://" + app.getMetadata().getName() + "." + app.getMetadata().getNamespace() + ".svc.cluster.local:"
                + AppPorts.servicePort(ports.getFirst());
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
