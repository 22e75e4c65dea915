package dev.berth.operator.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A JSON Patch (RFC 6902) of an Image's status subresource that sets only the status fields given (nulls are left
 * alone), so the operator (which never sends {@code nodes} unless it prunes them) and the node agents (which send
 * only {@code nodes}) do not overwrite each other. Whoever rewrites {@code nodes} passes the resourceVersion it
 * read: the patch sets it, which the API server treats as a precondition, so a concurrent writer's change is
 * a 409 Conflict instead of a lost entry.
 *
 * <p>Not a JSON merge patch: Fabric8's mock API server appends lists in merge patches instead of replacing them,
 * so conditions would pile up in tests; a JSON Patch means the same thing to both servers.
 */
public final class ImageStatusPatch {
    private final KubernetesClient client;

    public ImageStatusPatch(KubernetesClient client) {
        this.client = client;
    }

    /** @param resourceVersion the version the status was computed from, or null for a last-writer-wins patch */
    public Image apply(Image image, ImageStatus status, String resourceVersion) {
        List<Map<String, Object>> ops = new ArrayList<>();
        if (resourceVersion != null) {
            // The API server treats a resourceVersion the patch sets as a precondition: 409 Conflict when it moved on.
            ops.add(Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", resourceVersion));
        }
        JsonNode fields = client.getKubernetesSerialization().convertValue(status, JsonNode.class);
        if (image.getStatus() == null) {
            ops.add(Map.of("op", "add", "path", "/status", "value", fields));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) fields).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                // "add" on an existing member replaces it (RFC 6902 4.1)
                ops.add(Map.of("op", "add", "path", "/status/" + field.getKey(), "value", field.getValue()));
            }
        }
        String json = client.getKubernetesSerialization().asJson(ops);
        return client.resources(Image.class)
                .inNamespace(image.getMetadata().getNamespace())
                .withName(image.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), json);
    }

    /** Whether a failed patch means someone else wrote first. */
    public static boolean isConflict(KubernetesClientException e) {
        return e.getCode() == 409;
    }
}
