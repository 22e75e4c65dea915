package dev.berth.operator.nodeagent;

import dev.berth.image.Digest;
import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.operator.image.Conditions;
import dev.berth.operator.image.PrePullSelector;
import dev.berth.operator.image.PullCredentials;
import dev.berth.operator.image.PullSecrets;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageNodeStatus;
import dev.berth.operator.process.OperatorContext;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's pre-puller: for every Image whose {@code spec.prePull.nodeSelector} matches this node's labels,
 * pulls {@code status.digest} (or {@code spec.image} while there is no digest yet) through the node's CRI socket
 * and records this node's entry of {@code status.nodes}; an Image that stops selecting the node loses the entry.
 * The operator turns the entries into the {@code Pulled} condition.
 */
@ControllerConfiguration(name = NodeImageReconciler.NAME, generationAwareEventProcessing = false)
public final class NodeImageReconciler implements Reconciler<Image>, AutoCloseable {
    public static final String NAME = "node-image";
    /** Node label changes and image garbage collection trigger nothing; look again this often. */
    static final Duration RECHECK = Duration.ofMinutes(5);

    static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);

    private static final Logger log = LoggerFactory.getLogger(NodeImageReconciler.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final CriImageClient cri;
    private final PullSecrets pullSecrets;
    private final NodeEntryWriter writer;
    private final PullBackoff backoff = new PullBackoff();
    private final Clock clock;

    /** The node agent's: node from {@code NODE_NAME}/--node-name, runtime from --cri-socket. */
    public NodeImageReconciler(OperatorContext context) {
        this(
                context.client(),
                context.settings().nodeName(),
                new CriImageClient(context.settings().criSocket(), PULL_TIMEOUT),
                Clock.systemUTC());
    }

    public NodeImageReconciler(KubernetesClient client, String nodeName, CriImageClient cri, Clock clock) {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the node agent needs its node's name: set NODE_NAME or --node-name");
        }
        this.client = client;
        this.nodeName = nodeName;
        this.cri = cri;
        this.pullSecrets = new PullSecrets(client);
        this.writer = new NodeEntryWriter(client, nodeName);
        this.clock = clock;
    }

    @Override
    public UpdateControl<Image> reconcile(Image image, Context<Image> context) {
        String id =
                image.getMetadata().getNamespace() + "/" + image.getMetadata().getName();
        Node node = client.nodes().withName(nodeName).get();
        Map<String, String> labels =
                node == null ? Map.of() : node.getMetadata().getLabels();
        Optional<ImageNodeStatus> mine = entry(image);
        if (node == null) {
            log.warn("node {} not found; image {} is not pre-pulled here", nodeName, id);
        }
        if (!PrePullSelector.selects(image, labels)) {
            if (mine.isPresent()) {
                writer.write(image, null);
                log.info("image {} no longer selects node {}: entry removed", id, nodeName);
            }
            return UpdateControl.<Image>noUpdate().rescheduleAfter(RECHECK);
        }
        String digest = image.getStatus() == null ? null : image.getStatus().getDigest();
        String target;
        try {
            target = target(image.getSpec().getImage(), digest);
        } catch (InvalidReferenceException | IllegalArgumentException e) {
            // The operator reports a bad reference in Resolved; pulling it here cannot succeed.
            return UpdateControl.<Image>noUpdate().rescheduleAfter(RECHECK);
        }
        if (mine.isPresent()
                && Boolean.TRUE.equals(mine.get().getPulled())
                && digest != null
                && digest.equals(mine.get().getDigest())
                && stillPresent(target, id)) {
            return UpdateControl.<Image>noUpdate().rescheduleAfter(RECHECK);
        }
        String uid =
                image.getMetadata().getUid() == null ? id : image.getMetadata().getUid();
        Optional<Duration> wait = backoff.wait(uid, target, clock.instant());
        if (wait.isPresent()) {
            return UpdateControl.<Image>noUpdate().rescheduleAfter(wait.get());
        }
        return pull(image, id, uid, target, digest);
    }

    private UpdateControl<Image> pull(Image image, String id, String uid, String target, String digest) {
        PullCredentials credentials = pullSecrets.forRegistry(
                image.getMetadata().getNamespace(), image.getSpec().getPullSecrets(), registry(target));
        ImageNodeStatus entry = new ImageNodeStatus();
        entry.setNode(nodeName);
        entry.setDigest(digest);
        Duration next = RECHECK;
        try {
            String ref = cri.pull(target, credentials.credentials());
            entry.setPulled(true);
            backoff.succeeded(uid);
            log.info("image {} pulled {} on node {} (runtime ref {})", id, target, nodeName, ref);
        } catch (CriPullException e) {
            entry.setPulled(false);
            entry.setMessage(e.getMessage() + credentials.explanation());
            next = backoff.failed(uid, target, clock.instant());
            log.warn(
                    "image {} pull of {} on node {} failed, retrying in {}: {}",
                    id,
                    target,
                    nodeName,
                    next,
                    entry.getMessage());
        }
        entry.setTime(Conditions.rfc3339(clock.instant()));
        writer.write(image, entry);
        return UpdateControl.<Image>noUpdate().rescheduleAfter(next);
    }

    private boolean stillPresent(String target, String id) {
        try {
            return cri.present(target);
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

    private Optional<ImageNodeStatus> entry(Image image) {
        List<ImageNodeStatus> nodes =
                image.getStatus() == null ? null : image.getStatus().getNodes();
        return nodes == null
                ? Optional.empty()
                : nodes.stream().filter(e -> nodeName.equals(e.getNode())).findFirst();
    }

    /** The digest-pinned reference once the operator resolved it: every node then pulls the same bytes. */
    static String target(String image, String digest) throws InvalidReferenceException {
        ImageReference ref = ImageReference.parse(image);
        return digest == null
                ? ref.toString()
                : ref.withDigest(Digest.parse(digest)).toString();
    }

    /** Closes the CRI client: its event loop thread is not a daemon and would outlive an embedded agent. */
    @Override
    public void close() {
        cri.close();
    }

    private static String registry(String target) {
        try {
            return ImageReference.parse(target).registry();
        } catch (InvalidReferenceException e) {
            throw new IllegalStateException("reference " + target + " was parsed before", e);
        }
    }
}
