package dev.berth.operator.image;

import dev.berth.operator.model.Image;
import dev.berth.operator.model.ImageStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON merge patch of an Image's status subresource. Fields left null are left alone, so the operator (which
 * never sends {@code nodes} unless it prunes them) and the node agents (which send only {@code nodes}) do not
 * overwrite each other; whoever rewrites {@code nodes} passes the resourceVersion it read, and a concurrent
 * writer turns that into 409 Conflict instead of a lost entry.
 */
public final class ImageStatusPatch {
  private final KubernetesClient client;

  public ImageStatusPatch(KubernetesClient client) {
    this.client = client;
  }

  /** @param resourceVersion the version the status was computed from, or null for a last-writer-wins patch */
  public Image apply(Image image, ImageStatus status, String resourceVersion) {
    Map<String, Object> patch = new LinkedHashMap<>();
    if (resourceVersion != null) {
      patch.put("metadata", Map.of("resourceVersion", resourceVersion));
    }
    patch.put("status", status);
    String json = client.getKubernetesSerialization().asJson(patch);
    return client.resources(Image.class).inNamespace(image.getMetadata().getNamespace())
        .withName(image.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), json);
  }
}
