package dev.berth.operator.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.image.manifest.Platform;
import dev.berth.image.registry.RegistryClient;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageNodeStatus;
import dev.berth.operator.model.ImageSpec;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.process.OperatorContext;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an Image resolved: observes the registry (tag → digest, platforms, size) and the node agents' reports,
 * then writes the status once. Every status change triggers a reconciliation (node agents report there), so the
 * registry is asked only when the spec changed, {@code spec.updateInterval} elapsed, or a failure's backoff ran
 * out; the rest of the time the last answer is reused, and an unchanged status is not written.
 */
@ControllerConfiguration(name = ImageReconciler.NAME, generationAwareEventProcessing = false)
public final class ImageReconciler implements Reconciler<Image> {
    public static final String NAME = "image";
    /** How often an incomplete pre-pull is looked at again, since node label changes do not trigger a reconcile. */
    static final Duration PULL_RECHECK = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(ImageReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final ImageResolver resolver;
    private final PullSecrets pullSecrets;
    private final ImageStatusPatch statusPatch;
    private final ResolveSchedule schedule = new ResolveSchedule();
    private final Clock clock;

    /** The operator's: registry settings from {@value RegistrySettings#ENV}, sizes for this host's platform. */
    public ImageReconciler(OperatorContext context) {
        this(
                context.client(),
                new ImageResolver(
                        new RegistryClient(RegistrySettings.fromEnvironment(System.getenv())),
                        Platform.host(),
                        Clock.systemUTC()),
                Clock.systemUTC());
    }

    public ImageReconciler(KubernetesClient client, ImageResolver resolver, Clock clock) {
        this.client = client;
        this.resolver = resolver;
        this.pullSecrets = new PullSecrets(client);
        this.statusPatch = new ImageStatusPatch(client);
        this.clock = clock;
    }

    @Override
    public UpdateControl<Image> reconcile(Image image, Context<Image> context) {
        Instant now = clock.instant();
        ImageSpec spec = image.getSpec();
        String uid = uid(image);
        String specKey = spec.getImage() + "|" + spec.getPullSecrets() + "|" + spec.getUpdateInterval();
        ResolveSchedule.Entry entry =
                schedule.current(uid, specKey, now).orElseGet(() -> lookUp(image, uid, specKey, now));

        ImageStatus old = image.getStatus() == null ? new ImageStatus() : image.getStatus();
        ImageStatus desired = observed(image, old, entry, now);
        List<ImageNodeStatus> oldNodes = sorted(old.getNodes());
        PullProgress progress = null;
        if (spec.getPrePull() != null) {
            List<Node> nodes = client.nodes().list().getItems();
            progress = PullProgress.of(image, desired.getDigest(), nodes);
            desired.getConditions()
                    .add(Conditions.of(
                            ImageStatus.PULLED,
                            progress.pulled(),
                            progress.reason(),
                            progress.message(),
                            image.getMetadata().getGeneration(),
                            old.getConditions(),
                            now));
        }
        List<ImageNodeStatus> keptNodes = progress == null ? List.of() : progress.entries();
        boolean prune = !json(oldNodes).equals(json(keptNodes));
        desired.setNodes(oldNodes.isEmpty() && keptNodes.isEmpty() ? old.getNodes() : keptNodes);

        if (!json(desired).equals(json(withSortedNodes(old)))) {
            if (!prune) {
                desired.setNodes(null);
            }
            // Only a rewrite of nodes[] races with node agents; it fails with a conflict and is retried, never
            // clobbers.
            statusPatch.apply(image, desired, prune ? image.getMetadata().getResourceVersion() : null);
            if (!Objects.equals(old.getDigest(), desired.getDigest())) {
                log.info(
                        "image {}/{} {} resolved to {} (was {})",
                        image.getMetadata().getNamespace(),
                        image.getMetadata().getName(),
                        spec.getImage(),
                        desired.getDigest(),
                        old.getDigest());
            }
        }
        return reschedule(entry, progress, now);
    }

    private ResolveSchedule.Entry lookUp(Image image, String uid, String specKey, Instant now) {
        String ns = image.getMetadata().getNamespace();
        ImageSpec spec = image.getSpec();
        PullCredentials credentials = null;
        try {
            Duration interval = spec.getUpdateInterval() == null ? null : interval(spec.getUpdateInterval());
            credentials =
                    pullSecrets.forRegistry(ns, spec.getPullSecrets(), ImageResolver.registryHost(spec.getImage()));
            ImageResolution resolution = resolver.resolve(spec.getImage(), credentials.credentials());
            return schedule.succeeded(uid, specKey, resolution, interval, now);
        } catch (ResolveFailure failure) {
            String message = failure.getMessage() + (credentials == null ? "" : credentials.explanation());
            ResolveFailure explained = new ResolveFailure(failure.reason(), message, failure);
            ResolveSchedule.Entry e = schedule.failed(uid, specKey, explained, now);
            log.warn(
                    "image {}/{} {} did not resolve ({}), retrying in {}: {}",
                    ns,
                    image.getMetadata().getName(),
                    spec.getImage(),
                    failure.reason(),
                    Duration.between(now, e.next()),
                    message);
            return e;
        }
    }

    private static Duration interval(String text) throws ResolveFailure {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ResolveFailure("InvalidSpec", e.getMessage(), e);
        }
    }

    /** The registry part of the status: the new answer, or on failure the last known digest kept visible. */
    private static ImageStatus observed(Image image, ImageStatus old, ResolveSchedule.Entry entry, Instant now) {
        ImageStatus s = new ImageStatus();
        Long generation = image.getMetadata().getGeneration();
        List<Condition> conditions = new ArrayList<>();
        ImageResolution r = entry.resolution();
        if (r != null) {
            s.setDigest(r.digest());
            s.setResolvedAt(Conditions.rfc3339(r.resolvedAt()));
            s.setSize(r.size());
            s.setPlatforms(r.platforms());
            conditions.add(Conditions.of(
                    ImageStatus.RESOLVED,
                    true,
                    "Resolved",
                    image.getSpec().getImage() + " resolved to " + r.digest(),
                    generation,
                    old.getConditions(),
                    now));
        } else {
            s.setDigest(old.getDigest());
            s.setResolvedAt(old.getResolvedAt());
            s.setSize(old.getSize());
            s.setPlatforms(old.getPlatforms());
            conditions.add(Conditions.of(
                    ImageStatus.RESOLVED,
                    false,
                    entry.failure().reason(),
                    entry.failure().getMessage(),
                    generation,
                    old.getConditions(),
                    now));
        }
        s.setConditions(conditions);
        s.setObservedGeneration(generation);
        return s;
    }

    private static UpdateControl<Image> reschedule(ResolveSchedule.Entry entry, PullProgress progress, Instant now) {
        Duration delay = entry.next() == null ? null : Duration.between(now, entry.next());
        if (progress != null && !progress.pulled() && (delay == null || delay.compareTo(PULL_RECHECK) > 0)) {
            delay = PULL_RECHECK;
        }
        UpdateControl<Image> control = UpdateControl.noUpdate();
        return delay == null ? control : control.rescheduleAfter(delay.isNegative() ? Duration.ofSeconds(1) : delay);
    }

    private static String uid(Image image) {
        String uid = image.getMetadata().getUid();
        return uid != null
                ? uid
                : image.getMetadata().getNamespace() + "/" + image.getMetadata().getName();
    }

    private static List<ImageNodeStatus> sorted(List<ImageNodeStatus> nodes) {
        if (nodes == null) {
            return List.of();
        }
        List<ImageNodeStatus> copy = new ArrayList<>(nodes);
        copy.sort(Comparator.comparing(ImageNodeStatus::getNode, Comparator.nullsFirst(Comparator.naturalOrder())));
        return copy;
    }

    private static ImageStatus withSortedNodes(ImageStatus old) {
        ImageStatus copy = JSON.convertValue(old, ImageStatus.class);
        if (copy.getNodes() != null) {
            copy.setNodes(sorted(copy.getNodes()));
        }
        return copy;
    }

    private static String json(Object value) {
        return JSON.valueToTree(value).toString();
    }
}
