package dev.berth.operator.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a kind's OpenAPI schema that server-side apply needs to record ownership: which lists are
 * associative ({@code +listType=map}) and by which keys, and which structs and maps are atomic
 * ({@code +structType=atomic}, {@code +mapType=atomic}). Every other list is atomic, every other map a
 * struct. Paths are dot-joined field names, {@code []} standing for "an item of the list".
 *
 * <p>Taken from the markers in k8s.io/api v0.32 (Kubernetes 1.32): core/v1/types.go (Container.Ports keyed by
 * containerPort+protocol, Container.Env by name, Container.VolumeMounts by mountPath, PodSpec.Containers and
 * Volumes by name, ServiceSpec.Ports by port+protocol, ServiceSpec.Selector mapType=atomic, ObjectFieldSelector,
 * ConfigMapKeySelector, SecretKeySelector, ResourceFieldSelector structType=atomic) and apimachinery
 * pkg/apis/meta/v1/types.go (ObjectMeta.OwnerReferences keyed by uid, OwnerReference and LabelSelector
 * structType=atomic); autoscaling/v2 MetricSpec lists are atomic.
 */
public record FieldSchema(Map<String, List<String>> listKeys, Set<String> atomic) {
    private static final Map<String, List<String>> META = Map.of("metadata.ownerReferences", List.of("uid"));
    private static final Set<String> META_ATOMIC = Set.of("metadata.ownerReferences[]");

    public static FieldSchema forKind(String kind) {
        return switch (kind) {
            case "Deployment" -> deployment();
            case "Service" ->
                new FieldSchema(
                        merge(META, Map.of("spec.ports", List.of("port", "protocol"))),
                        union(META_ATOMIC, Set.of("spec.selector")));
            case "HorizontalPodAutoscaler" -> new FieldSchema(META, META_ATOMIC);
            default -> throw new IllegalArgumentException("no schema for kind " + kind);
        };
    }

    private static FieldSchema deployment() {
        String pod = "spec.template.spec.";
        String container = pod + "containers[].";
        String env = container + "env[].valueFrom.";
        return new FieldSchema(
                merge(
                        META,
                        Map.of(
                                pod + "containers", List.of("name"),
                                pod + "initContainers", List.of("name"),
                                pod + "volumes", List.of("name"),
                                container + "ports", List.of("containerPort", "protocol"),
                                container + "env", List.of("name"),
                                container + "volumeMounts", List.of("mountPath"))),
                union(
                        META_ATOMIC,
                        Set.of(
                                "spec.selector",
                                env + "fieldRef",
                                env + "configMapKeyRef",
                                env + "secretKeyRef",
                                env + "resourceFieldRef")));
    }

    /** The keys of the associative list at the path, or null when the list is atomic. */
    public List<String> keysOf(String path) {
        return listKeys.get(path);
    }

    public boolean isAtomic(String path) {
        return atomic.contains(path);
    }

    private static Map<String, List<String>> merge(Map<String, List<String>> a, Map<String, List<String>> b) {
        var all = new java.util.HashMap<>(a);
        all.putAll(b);
        return Map.copyOf(all);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
