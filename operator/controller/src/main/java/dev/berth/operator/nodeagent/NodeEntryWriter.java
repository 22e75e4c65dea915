package dev.berth.operator.nodeagent;

import dev.berth.operator.image.ImageStatusPatch;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageNodeStatus;
import dev.berth.operator.model.ImageStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes one node's entry of {@code status.nodes} and nothing else: reads the Image fresh, replaces (or removes)
 * this node's entry, and patches with the resourceVersion it read, so that agents on many nodes writing at once
 * each get a conflict and retry instead of overwriting each other's entries.
 */
public final class NodeEntryWriter {
    static final int ATTEMPTS = 8;

    private final KubernetesClient client;
    private final ImageStatusPatch patch;
    private final String nodeName;

    public NodeEntryWriter(KubernetesClient client, String nodeName) {
        this.client = client;
        this.patch = new ImageStatusPatch(client);
        this.nodeName = nodeName;
    }

    /** @param entry this node's entry, or null to remove it */
    public void write(Image image, ImageNodeStatus entry) {
        String ns = image.getMetadata().getNamespace();
        String name = image.getMetadata().getName();
        KubernetesClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Image fresh =
                    client.resources(Image.class).inNamespace(ns).withName(name).get();
            if (fresh == null) {
                return;
            }
            List<ImageNodeStatus> before =
                    fresh.getStatus() == null || fresh.getStatus().getNodes() == null
                            ? List.of()
                            : fresh.getStatus().getNodes();
            List<ImageNodeStatus> after = new ArrayList<>(
                    before.stream().filter(e -> !nodeName.equals(e.getNode())).toList());
            if (entry != null) {
                after.add(entry);
            }
            if (before.size() == after.size()
                    && before.stream().noneMatch(e -> nodeName.equals(e.getNode()))
                    && entry == null) {
                return;
            }
            ImageStatus status = new ImageStatus();
            status.setNodes(after);
            try {
                patch.apply(
                        fresh,
                        status,
                        Objects.requireNonNull(fresh.getMetadata().getResourceVersion()));
                return;
            } catch (KubernetesClientException e) {
                if (!ImageStatusPatch.isConflict(e)) {
                    throw e;
                }
                last = e;
                try {
                    Thread.sleep(20L * (attempt + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }
}
