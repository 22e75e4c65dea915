package dev.berth.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The answer a Kubernetes 1.32 API server gives to the first server-side apply of an object, as the operator's
 * informer then holds it: the applied fields, the server's defaults ({@link ApiServerDefaults}), server metadata,
 * and managedFields with the applier's {@code Apply} entry ({@link ManagedFields}) beside the entries other
 * managers leave (kube-controller-manager's revision annotation and status). Fabric8's mock server does none of
 * this: it stores what it is sent.
 */
public final class SimulatedApiServer {
    private static final String CONTROLLER_MANAGER = "kube-controller-manager";

    private final KubernetesSerialization serialization;
    private final ApiServerDefaults defaults = new ApiServerDefaults();
    private long resourceVersion = 1000;

    public SimulatedApiServer(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    /** The stored object after {@code fieldManager} applied {@code applied} with force (JOSDK's way). */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T apply(T applied, String fieldManager) {
        String sent = serialization.asJson(applied);
        Map<String, Object> request = serialization.unmarshal(sent, Map.class);
        String kind = (String) request.get("kind");
        Map<String, Object> fieldsV1 = new ManagedFields(FieldSchema.forKind(kind)).of(request);

        Map<String, Object> stored = serialization.unmarshal(sent, Map.class);
        defaults.apply(stored);
        String now = Instant.now().toString().replaceAll("\\.\\d+Z$", "Z");
        Map<String, Object> metadata = (Map<String, Object>) stored.get("metadata");
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("resourceVersion", String.valueOf(++resourceVersion));
        metadata.put("generation", 1);
        metadata.put("creationTimestamp", now);

        List<Map<String, Object>> managed = new ArrayList<>();
        managed.add(entry(fieldManager, "Apply", (String) request.get("apiVersion"), now, fieldsV1, null));
        controllerWrites(kind, stored, metadata, now, managed);
        metadata.put("managedFields", managed);
        return (T) serialization.unmarshal(serialization.asJson(stored), applied.getClass());
    }

    /** What the Deployment and HPA controllers write right after creation, under their own manager. */
    @SuppressWarnings("unchecked")
    private static void controllerWrites(
            String kind,
            Map<String, Object> stored,
            Map<String, Object> metadata,
            String now,
            List<Map<String, Object>> managed) {
        String apiVersion = (String) stored.get("apiVersion");
        if ("Deployment".equals(kind)) {
            Map<String, Object> annotations = (Map<String, Object>)
                    metadata.computeIfAbsent("annotations", k -> new LinkedHashMap<String, Object>());
            annotations.put("deployment.kubernetes.io/revision", "1");
            managed.add(entry(
                    CONTROLLER_MANAGER,
                    "Update",
                    apiVersion,
                    now,
                    Map.of(
                            "f:metadata",
                            Map.of("f:annotations", Map.of("f:deployment.kubernetes.io/revision", Map.of()))),
                    null));
            Object replicas = ((Map<String, Object>) stored.get("spec")).get("replicas");
            stored.put(
                    "status",
                    new LinkedHashMap<>(
                            Map.of("observedGeneration", 1, "replicas", replicas, "updatedReplicas", replicas)));
            managed.add(entry(
                    CONTROLLER_MANAGER,
                    "Update",
                    apiVersion,
                    now,
                    Map.of("f:status", Map.of("f:observedGeneration", Map.of(), "f:replicas", Map.of())),
                    "status"));
        } else if ("HorizontalPodAutoscaler".equals(kind)) {
            stored.put("status", new LinkedHashMap<>(Map.of("currentReplicas", 1, "desiredReplicas", 1)));
            managed.add(entry(
                    CONTROLLER_MANAGER,
                    "Update",
                    apiVersion,
                    now,
                    Map.of("f:status", Map.of("f:currentReplicas", Map.of(), "f:desiredReplicas", Map.of())),
                    "status"));
        }
    }

    private static Map<String, Object> entry(
            String manager,
            String operation,
            String apiVersion,
            String time,
            Map<String, Object> fieldsV1,
            String subresource) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("manager", manager);
        entry.put("operation", operation);
        entry.put("apiVersion", apiVersion);
        entry.put("time", time);
        entry.put("fieldsType", "FieldsV1");
        entry.put("fieldsV1", fieldsV1);
        if (subresource != null) {
            entry.put("subresource", subresource);
        }
        return entry;
    }
}
