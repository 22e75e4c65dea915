package dev.berth.operator.nodeagent;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImagePull;
import dev.berth.operator.model.ImagePullStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Writes this node's ImagePull of an Image, the one kind of object the node agent writes. Nobody else writes it, so
 * no write carries a resourceVersion precondition and none can conflict: a create when the first pull starts, then
 * one status write per pull.
 */
public final class ImagePullWriter {
    private final KubernetesClient client;
    private final String node;

    public ImagePullWriter(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    /** Creates this node's ImagePull of the Image, without status: the pull is under way. */
    public ImagePull create(Image image) {
        return client.resource(ImagePulls.of(image, node)).create();
    }

    /** Replaces the ImagePull's status with this report; returns the ImagePull as written. */
    public ImagePull report(ImagePull pull, ImagePullStatus status) {
        // A JSON Patch replacing the whole status: a merge patch would keep a stale failure message on success.
        String patch = client.getKubernetesSerialization()
                .asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
        return client.resources(ImagePull.class)
                .inNamespace(pull.getMetadata().getNamespace())
                .withName(pull.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), patch);
    }

    /** Removes this node's ImagePull: the Image no longer selects the node. */
    public void remove(ImagePull pull) {
        client.resource(pull).delete();
    }
}
