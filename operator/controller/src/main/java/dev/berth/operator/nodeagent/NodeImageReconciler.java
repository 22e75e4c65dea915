package dev.berth.operator.nodeagent;

import dev.berth.image.Digest;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.operator.image.PrePullSelector;
import dev.berth.operator.image.PullCredentials;
import dev.berth.operator.image.PullSecrets;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullStatus;
import dev.berth.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's pre-puller: for every Image whose {@code spec.prePull.nodeSelector} matches this node's labels,
 * pulls {@code status.digest} (or {@code spec.image} while there is no digest yet) through the node's CRI socket
 * and reports it in this node's ImagePull of the Image; an Image that stops selecting the node loses it. It never
 * writes an Image: the operator sums the ImagePulls into the Image's status.
 */
@ControllerConfiguration(name = NodeImageReconciler.NAME, generationAwareEventProcessing = false)
public final class NodeImageReconciler implements Reconciler<Image>, AutoCloseable {
    public static final String NAME = "node-image";
    /** Image garbage collection on the node sends no event; look whether the image is still there this often. */
    static final Duration RECHECK = Duration.ofMinutes(5);

    public static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);

    private static final Logger log = LoggerFactory.getLogger(NodeImageReconciler.class);

    private final String nodeName;
    private final CriImageClient cri;
    private final PullSecrets pullSecrets;
    private final ImagePullWriter writer;
    private final PullBackoff backoff = new PullBackoff();
    private final Clock clock;

    public NodeImageReconciler(
            String nodeName, CriImageClient cri, PullSecrets pullSecrets, ImagePullWriter writer, Clock clock) {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the node agent needs its node's name: set NODE_NAME or --node-name");
        }
        this.nodeName = nodeName;
        this.cri = cri;
        this.pullSecrets = pullSecrets;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Image>> prepareEventSources(EventSourceContext<Image> context) {
        return new NodeAgentEventSources(nodeName).create(context);
    }

    @Override
    public UpdateControl<Image> reconcile(Image image, Context<Image> context) {
        @SuppressWarnings("unchecked")
        InformerEventSource<Node, Image> nodes = (InformerEventSource<Node, Image>)
                context.eventSourceRetriever().getEventSourceFor(Node.class, NodeAgentEventSources.NODE);
        @SuppressWarnings("unchecked")
        InformerEventSource<ImagePull, Image> pulls = (InformerEventSource<ImagePull, Image>)
                context.eventSourceRetriever().getEventSourceFor(ImagePull.class, NodeAgentEventSources.PULLS);
        ResourceID primary = ResourceID.fromResource(image);
        return reconcile(
                image,
                context.getSecondaryResource(ImagePull.class),
                nodes.get(new ResourceID(nodeName)).orElse(null),
                // The informer sees the agent's own write late; until then it must not look like an unreported pull.
                (before, after) -> {
                    if (before == null) {
                        pulls.handleRecentResourceCreate(primary, after);
                    } else {
                        pulls.handleRecentResourceUpdate(primary, after, before);
                    }
                });
    }

    /** Told of every ImagePull this agent wrote: {@code before} is null for a new one. */
    public interface Written {
        void written(ImagePull before, ImagePull after);
    }

    /** One reconciliation from what the informers hold: this node's ImagePull of the Image, and this Node. */
    public UpdateControl<Image> reconcile(Image image, Optional<ImagePull> existing, Node node, Written written) {
        String id =
                image.getMetadata().getNamespace() + "/" + image.getMetadata().getName();
        Optional<ImagePull> mine = existing.filter(p -> ownedBy(p, image));
        if (existing.isPresent() && mine.isEmpty()) {
            // left by a deleted Image of the same name, not yet garbage-collected: it would block this one's name
            writer.remove(existing.get());
        }
        if (node == null) {
            log.warn("node {} not found; image {} is not pre-pulled here", nodeName, id);
        }
        Map<String, String> labels =
                node == null ? Map.of() : node.getMetadata().getLabels();
        if (!PrePullSelector.selects(image, labels)) {
            if (mine.isPresent()) {
                writer.remove(mine.get());
                log.info("image {} no longer selects node {}: its ImagePull removed", id, nodeName);
            }
            return UpdateControl.noUpdate();
        }
        String digest = image.getStatus() == null ? null : image.getStatus().getDigest();
        ImageReference target;
        try {
            target = target(image.getSpec().getImage(), digest);
        } catch (InvalidReferenceException | IllegalArgumentException e) {
            // The operator reports a bad reference in Resolved; pulling it here cannot succeed.
            return UpdateControl.noUpdate();
        }
        ImagePullStatus reported = mine.map(ImagePull::getStatus).orElse(null);
        if (reported != null
                && Boolean.TRUE.equals(reported.getPulled())
                && Objects.equals(digest, reported.getDigest())
                && stillPresent(target, id)) {
            return UpdateControl.<Image>noUpdate().rescheduleAfter(RECHECK);
        }
        String uid =
                image.getMetadata().getUid() == null ? id : image.getMetadata().getUid();
        Optional<Duration> wait = backoff.wait(uid, target.toString(), clock.instant());
        if (wait.isPresent()) {
            return UpdateControl.<Image>noUpdate().rescheduleAfter(wait.get());
        }
        return pull(image, mine, id, uid, target, digest, written);
    }

    private UpdateControl<Image> pull(
            Image image,
            Optional<ImagePull> mine,
            String id,
            String uid,
            ImageReference target,
            String digest,
            Written written) {
        ImagePull pull = mine.orElseGet(() -> {
            ImagePull created = writer.create(image);
            written.written(null, created);
            return created;
        });
        PullCredentials credentials = pullSecrets.forRegistry(
                image.getMetadata().getNamespace(), image.getSpec().getPullSecrets(), target.registry());
        ImagePullStatus status = new ImagePullStatus();
        status.setDigest(digest);
        Duration next = RECHECK;
        try {
            String ref = cri.pull(target.toString(), credentials.credentials());
            status.setPulled(true);
            backoff.succeeded(uid);
            log.info("image {} pulled {} on node {} (runtime ref {})", id, target, nodeName, ref);
        } catch (CriPullException e) {
            status.setPulled(false);
            status.setMessage(e.getMessage() + credentials.explanation());
            next = backoff.failed(uid, target.toString(), clock.instant());
            log.warn(
                    "image {} pull of {} on node {} failed, retrying in {}: {}",
                    id,
                    target,
                    nodeName,
                    next,
                    status.getMessage());
        }
        status.setTime(Conditions.rfc3339(clock.instant()));
        written.written(pull, writer.report(pull, status));
        return UpdateControl.<Image>noUpdate().rescheduleAfter(next);
    }

    private boolean stillPresent(ImageReference target, String id) {
        try {
            return cri.present(target.toString());
        } catch (CriPullException e) {
            log.warn(
                    "image {}: cannot ask the runtime whether {} is still on node {}: {}",
                    id,
                    target,
                    nodeName,
                    e.getMessage());
            return true;
        }
    }

    private static boolean ownedBy(ImagePull pull, Image image) {
        String uid = image.getMetadata().getUid();
        var owners = pull.getMetadata().getOwnerReferences();
        return uid == null || (owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid())));
    }

    /** The digest-pinned reference once the operator resolved it: every node then pulls the same bytes. */
    static ImageReference target(String image, String digest) throws InvalidReferenceException {
        ImageReference ref = ImageReference.parse(image);
        return digest == null ? ref : ref.withDigest(Digest.parse(digest));
    }

    /** Closes the CRI client: its event loop thread is not a daemon and would outlive an embedded agent. */
    @Override
    public void close() {
        cri.close();
    }
}
