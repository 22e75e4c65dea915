package dev.berth.operator.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImageSpec;
import dev.berth.operator.model.ImageStatus;
import dev.berth.operator.status.Conditions;
import dev.berth.operator.status.StatusWrites;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an Image resolved and its pre-pull summed up: observes the registry (tag → digest, platforms, size), the
 * nodes the Image selects and the ImagePulls their agents wrote (both from informers), then writes the status once
 * through JOSDK, and only when it changed. It is the status' one writer. The registry is asked only when the spec
 * changed, {@code spec.updateInterval} elapsed, or a failure's backoff ran out; ImagePull and Node events reuse the
 * last answer.
 */
@ControllerConfiguration(name = ImageReconciler.NAME)
public final class ImageReconciler implements Reconciler<Image> {
    public static final String NAME = "image";

    private static final Logger log = LoggerFactory.getLogger(ImageReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageResolver resolver;
    private final ResolveSchedule schedule = new ResolveSchedule();
    private final Clock clock;
    private final StatusWrites statusWrites;

    public ImageReconciler(ImageResolver resolver, Clock clock, StatusWrites statusWrites) {
        this.resolver = resolver;
        this.clock = clock;
        this.statusWrites = statusWrites;
    }

    @Override
    public List<EventSource<?, Image>> prepareEventSources(EventSourceContext<Image> context) {
        return new ImageEventSources().create(context);
    }

    @Override
    public UpdateControl<Image> reconcile(Image image, Context<Image> context) {
        @SuppressWarnings("unchecked")
        InformerEventSource<Node, Image> nodes = (InformerEventSource<Node, Image>)
                context.eventSourceRetriever().getEventSourceFor(Node.class, ImageEventSources.NODES);
        List<Node> allNodes = nodes.list().collect(Collectors.toList());
        Collection<ImagePull> pulls = context.getSecondaryResources(ImagePull.class);
        List<ImagePull> orphaned = orphaned(pulls, allNodes);
        for (ImagePull pull : orphaned) {
            log.info(
                    "image {}/{}: deleting ImagePull {} of node {}, which is gone",
                    image.getMetadata().getNamespace(),
                    image.getMetadata().getName(),
                    pull.getMetadata().getName(),
                    pull.getSpec().getNode());
            context.getClient().resource(pull).delete();
        }
        List<ImagePull> live = pulls.stream().filter(p -> !orphaned.contains(p)).toList();
        return statusWrites.send(
                reconcile(image, live, image.getSpec().getPrePull() == null ? List.of() : allNodes), context);
    }

    /**
     * ImagePulls whose node no longer exists: its agent went with it, so nothing else would ever delete them (as
     * the pod garbage collector deletes the pods of vanished nodes). An empty Node cache deletes nothing: a cluster
     * without nodes is far likelier a cache that is not filled than a real one.
     */
    static List<ImagePull> orphaned(Collection<ImagePull> pulls, Collection<Node> nodes) {
        if (nodes.isEmpty()) {
            return List.of();
        }
        Set<String> names = nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        return pulls.stream()
                .filter(p -> p.getSpec() != null && p.getSpec().getNode() != null)
                .filter(p -> !names.contains(p.getSpec().getNode()))
                .toList();
    }

    /** One reconciliation from what the informers hold: the Image's ImagePulls and every Node. */
    public UpdateControl<Image> reconcile(Image image, Collection<ImagePull> pulls, Collection<Node> nodes) {
        Instant now = clock.instant();
        ImageSpec spec = image.getSpec();
        String uid = uid(image);
        String specKey = spec.getImage() + "|" + spec.getPullSecrets() + "|" + spec.getUpdateInterval();
        ResolveSchedule.Entry entry =
                schedule.current(uid, specKey, now).orElseGet(() -> lookUp(image, uid, specKey, now));

        ImageStatus old = image.getStatus() == null ? new ImageStatus() : image.getStatus();
        ImageStatus desired = observed(image, old, entry);
        Conditions conditions =
                new Conditions(old.getConditions(), image.getMetadata().getGeneration(), now);
        resolvedCondition(image, entry, conditions);
        if (spec.getPrePull() != null) {
            PullProgress progress = PullProgress.of(image, desired.getDigest(), nodes, pulls);
            desired.setPrePull(progress.status());
            conditions.set(ImageStatus.PULLED, progress.pulled(), progress.reason(), progress.message());
        }
        desired.setConditions(conditions.build());

        UpdateControl<Image> control = UpdateControl.noUpdate();
        if (!json(desired).equals(json(old))) {
            if (!Objects.equals(old.getDigest(), desired.getDigest())) {
                log.info(
                        "image {}/{} {} resolved to {} (was {})",
                        image.getMetadata().getNamespace(),
                        image.getMetadata().getName(),
                        spec.getImage(),
                        desired.getDigest(),
                        old.getDigest());
            }
            image.setStatus(desired);
            control = UpdateControl.patchStatus(image);
        }
        return reschedule(control, entry, now);
    }

    private ResolveSchedule.Entry lookUp(Image image, String uid, String specKey, Instant now) {
        String ns = image.getMetadata().getNamespace();
        ImageSpec spec = image.getSpec();
        try {
            Duration interval = spec.getUpdateInterval() == null ? null : interval(spec.getUpdateInterval());
            ImageResolution resolution = resolver.resolve(reference(spec.getImage()), ns, spec.getPullSecrets());
            return schedule.succeeded(uid, specKey, resolution, interval, now);
        } catch (ResolveFailure failure) {
            ResolveSchedule.Entry e = schedule.failed(uid, specKey, failure, now);
            log.warn(
                    "image {}/{} {} did not resolve ({}), retrying in {}: {}",
                    ns,
                    image.getMetadata().getName(),
                    spec.getImage(),
                    failure.reason(),
                    Duration.between(now, e.next()),
                    failure.getMessage());
            return e;
        }
    }

    private static ImageReference reference(String image) throws ResolveFailure {
        try {
            return ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            throw new ResolveFailure(ResolveFailure.INVALID_REFERENCE, e.getMessage(), e);
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
    private static ImageStatus observed(Image image, ImageStatus old, ResolveSchedule.Entry entry) {
        ImageStatus s = new ImageStatus();
        ImageResolution r = entry.resolution();
        if (r != null) {
            s.setDigest(r.digest());
            s.setResolvedAt(Conditions.rfc3339(r.resolvedAt()));
            s.setSize(r.size());
            s.setPlatforms(r.platforms());
        } else {
            s.setDigest(old.getDigest());
            s.setResolvedAt(old.getResolvedAt());
            s.setSize(old.getSize());
            s.setPlatforms(old.getPlatforms());
        }
        s.setObservedGeneration(image.getMetadata().getGeneration());
        return s;
    }

    private static void resolvedCondition(Image image, ResolveSchedule.Entry entry, Conditions conditions) {
        ImageResolution r = entry.resolution();
        if (r != null) {
            conditions.set(
                    ImageStatus.RESOLVED, true, "Resolved", image.getSpec().getImage() + " resolved to " + r.digest());
        } else {
            conditions.set(
                    ImageStatus.RESOLVED,
                    false,
                    entry.failure().reason(),
                    entry.failure().getMessage());
        }
    }

    /** Only the registry's schedule: pre-pull progress arrives as ImagePull and Node events, never by polling. */
    private static UpdateControl<Image> reschedule(
            UpdateControl<Image> control, ResolveSchedule.Entry entry, Instant now) {
        if (entry.next() == null) {
            return control;
        }
        Duration delay = Duration.between(now, entry.next());
        return control.rescheduleAfter(delay.isNegative() ? Duration.ofSeconds(1) : delay);
    }

    private static String uid(Image image) {
        String uid = image.getMetadata().getUid();
        return uid != null
                ? uid
                : image.getMetadata().getNamespace() + "/" + image.getMetadata().getName();
    }

    private static String json(Object value) {
        return JSON.valueToTree(value).toString();
    }
}
