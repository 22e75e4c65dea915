package dev.berth.operator.image;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageNodeStatus;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code Pulled} verdict from what node agents reported in {@code status.nodes} and which nodes the Image
 * selects now; entries of nodes that are gone or no longer selected are dropped.
 *
 * @param pulled  whether every selected node has pulled {@code digest}
 * @param reason  {@code Pulled}, {@code Pulling}, {@code PullFailed}, {@code NoMatchingNodes} or {@code NotResolved}
 * @param entries the entries to keep, sorted by node
 */
public record PullProgress(boolean pulled, String reason, String message, List<ImageNodeStatus> entries) {

    public static PullProgress of(Image image, String digest, List<Node> nodes) {
        List<ImageNodeStatus> reported =
                image.getStatus() == null || image.getStatus().getNodes() == null
                        ? List.of()
                        : image.getStatus().getNodes();
        Set<String> selected = nodes.stream()
                .filter(n -> PrePullSelector.selects(image, n.getMetadata().getLabels()))
                .map(n -> n.getMetadata().getName())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        List<ImageNodeStatus> kept = new ArrayList<>(reported.stream()
                .filter(e -> e.getNode() != null && selected.contains(e.getNode()))
                .collect(Collectors.toMap(ImageNodeStatus::getNode, Function.identity(), (a, b) -> a))
                .values());
        kept.sort(Comparator.comparing(ImageNodeStatus::getNode));
        if (digest == null) {
            return new PullProgress(false, "NotResolved", "the image has no digest yet", kept);
        }
        if (selected.isEmpty()) {
            return new PullProgress(false, "NoMatchingNodes", "no node matches spec.prePull.nodeSelector", kept);
        }
        Map<String, ImageNodeStatus> byNode = kept.stream().collect(Collectors.toMap(ImageNodeStatus::getNode, e -> e));
        List<String> failed = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (String node : selected) {
            ImageNodeStatus e = byNode.get(node);
            boolean current = e != null && digest.equals(e.getDigest());
            if (current && Boolean.TRUE.equals(e.getPulled())) {
                continue;
            }
            if (current && e.getMessage() != null) {
                failed.add(node + ": " + e.getMessage());
            } else {
                waiting.add(node);
            }
        }
        int done = selected.size() - failed.size() - waiting.size();
        if (failed.isEmpty() && waiting.isEmpty()) {
            return new PullProgress(
                    true, "Pulled", "all " + selected.size() + " selected node(s) pulled " + digest, kept);
        }
        String progress = done + "/" + selected.size() + " selected node(s) pulled " + digest;
        if (!failed.isEmpty()) {
            return new PullProgress(false, "PullFailed", progress + "; failed on " + String.join("; ", failed), kept);
        }
        return new PullProgress(false, "Pulling", progress + "; waiting for " + String.join(", ", waiting), kept);
    }
}
