package dev.berth.operator.image;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullStatus;
import dev.berth.operator.model.PrePullNode;
import dev.berth.operator.model.PrePullStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code Pulled} verdict and {@code status.prePull} from the nodes an Image selects now and the ImagePulls
 * their agents wrote. Reports of nodes that are gone or no longer selected, and of an older Image of the same name,
 * do not count.
 *
 * @param pulled whether every selected node has pulled {@code digest}
 * @param reason {@code Pulled}, {@code Pulling}, {@code PullFailed}, {@code NoMatchingNodes} or {@code NotResolved}
 */
public record PullProgress(boolean pulled, String reason, String message, PrePullStatus status) {
    /** How many failed and waiting nodes the condition's message names; status.prePull.nodes lists more. */
    private static final int NAMED_IN_MESSAGE = 5;

    public static PullProgress of(Image image, String digest, Collection<Node> nodes, Collection<ImagePull> pulls) {
        SortedSet<String> selected = new TreeSet<>();
        for (Node n : nodes) {
            if (PrePullSelector.selects(image, n.getMetadata().getLabels())) {
                selected.add(n.getMetadata().getName());
            }
        }
        Map<String, ImagePullStatus> reports = new HashMap<>();
        for (ImagePull pull : pulls) {
            if (ownedBy(pull, image)
                    && pull.getSpec() != null
                    && selected.contains(pull.getSpec().getNode())) {
                reports.put(pull.getSpec().getNode(), pull.getStatus());
            }
        }
        List<PrePullNode> failed = new ArrayList<>();
        List<PrePullNode> pending = new ArrayList<>();
        for (String node : selected) {
            ImagePullStatus report = reports.get(node);
            boolean current = report != null && Objects.equals(digest, report.getDigest());
            if (current && Boolean.TRUE.equals(report.getPulled())) {
                continue;
            }
            if (current && report.getMessage() != null) {
                failed.add(new PrePullNode(node, PrePullNode.FAILED, report.getMessage()));
            } else {
                pending.add(new PrePullNode(node, PrePullNode.PENDING, null));
            }
        }
        PrePullStatus status = new PrePullStatus();
        status.setDesired(selected.size());
        status.setPulled(selected.size() - failed.size() - pending.size());
        status.setFailed(failed.size());
        status.setPending(pending.size());
        List<PrePullNode> listed = new ArrayList<>(failed);
        listed.addAll(pending);
        status.setNodes(
                listed.isEmpty()
                        ? null
                        : List.copyOf(listed.subList(0, Math.min(listed.size(), PrePullStatus.NODES_LISTED))));

        if (digest == null) {
            return new PullProgress(false, "NotResolved", "the image has no digest yet", status);
        }
        if (selected.isEmpty()) {
            return new PullProgress(false, "NoMatchingNodes", "no node matches spec.prePull.nodeSelector", status);
        }
        String progress = status.getPulled() + "/" + selected.size() + " selected node(s) pulled " + digest;
        if (failed.isEmpty() && pending.isEmpty()) {
            return new PullProgress(
                    true, "Pulled", "all " + selected.size() + " selected node(s) pulled " + digest, status);
        }
        String waiting = pending.isEmpty()
                ? ""
                : "; waiting for "
                        + named(pending.stream().map(PrePullNode::getNode).toList(), ", ");
        if (!failed.isEmpty()) {
            String failures = named(
                    failed.stream()
                            .map(n -> n.getNode() + ": " + n.getMessage())
                            .toList(),
                    "; ");
            return new PullProgress(false, "PullFailed", progress + "; failed on " + failures + waiting, status);
        }
        return new PullProgress(false, "Pulling", progress + waiting, status);
    }

    /** An ImagePull of an earlier Image of this name waits for the garbage collector; it says nothing of this one. */
    private static boolean ownedBy(ImagePull pull, Image image) {
        String uid = image.getMetadata().getUid();
        List<OwnerReference> owners = pull.getMetadata().getOwnerReferences();
        return uid == null || (owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid())));
    }

    private static String named(List<String> items, String separator) {
        if (items.size() <= NAMED_IN_MESSAGE) {
            return String.join(separator, items);
        }
        return String.join(separator, items.subList(0, NAMED_IN_MESSAGE)) + " and " + (items.size() - NAMED_IN_MESSAGE)
                + " more";
    }
}
