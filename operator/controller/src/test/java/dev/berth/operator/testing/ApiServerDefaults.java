package dev.berth.operator.testing;

import dev.berth.operator.app.CanonicalQuantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Kubernetes 1.32 API server adds to an object before it stores and returns it, for the kinds an App
 * owns. Each step names the upstream function it follows:
 *
 * <ul>
 *   <li>pkg/apis/apps/v1/defaults.go {@code SetDefaults_Deployment}: replicas 1, strategy RollingUpdate with
 *       maxUnavailable/maxSurge 25%, revisionHistoryLimit 10, progressDeadlineSeconds 600;
 *   <li>pkg/apis/core/v1/defaults.go {@code SetDefaults_PodSpec} (dnsPolicy ClusterFirst, restartPolicy Always,
 *       securityContext {}, terminationGracePeriodSeconds 30, schedulerName default-scheduler),
 *       {@code SetDefaults_Container} (imagePullPolicy by tag, terminationMessagePath/Policy),
 *       {@code SetDefaults_Probe} (timeout 1, period 10, success 1, failure 3), {@code SetDefaults_HTTPGetAction}
 *       (path /, scheme HTTP), {@code SetDefaults_Volume} (no source: emptyDir),
 *       {@code SetDefaults_SecretVolumeSource}/{@code SetDefaults_ConfigMapVolumeSource} (defaultMode 0644),
 *       {@code SetDefaults_ObjectFieldSelector} (apiVersion v1), {@code SetDefaults_ResourceList} (rounded up to
 *       milli units), the declarative {@code +default="TCP"} of ContainerPort.protocol,
 *       {@code SetDefaults_Service} (sessionAffinity None, type ClusterIP, port protocol TCP, targetPort = port,
 *       internalTrafficPolicy Cluster);
 *   <li>the Service REST storage's IP allocation (pkg/registry/core/service/storage/alloc.go): clusterIP,
 *       clusterIPs, ipFamilies [IPv4], ipFamilyPolicy SingleStack on a single-stack cluster;
 *   <li>pkg/apis/autoscaling/v2/defaults.go {@code SetDefaults_HorizontalPodAutoscaler}: minReplicas 1, the 80%
 *       CPU metric when none is named;
 *   <li>what Go's JSON encoding of the stored object looks like: {@code omitempty} drops empty strings (an env
 *       var's {@code value: ""}), a non-pointer struct is always written (a container's {@code resources: {}},
 *       a pod template's {@code metadata.creationTimestamp: null}), quantities in canonical form
 *       ({@link CanonicalQuantity}).
 * </ul>
 */
public final class ApiServerDefaults {
    private int nextIp = 10;

    public void apply(Map<String, Object> object) {
        switch ((String) object.get("kind")) {
            case "Deployment" -> deployment(object);
            case "Service" -> service(object);
            case "HorizontalPodAutoscaler" -> hpa(object);
            default -> throw new IllegalArgumentException("no defaults for kind " + object.get("kind"));
        }
    }

    private static void deployment(Map<String, Object> deployment) {
        Map<String, Object> spec = map(deployment, "spec");
        spec.putIfAbsent("replicas", 1);
        Map<String, Object> strategy = map(spec, "strategy");
        strategy.putIfAbsent("type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.get("type"))) {
            Map<String, Object> rolling = map(strategy, "rollingUpdate");
            rolling.putIfAbsent("maxUnavailable", "25%");
            rolling.putIfAbsent("maxSurge", "25%");
        }
        spec.putIfAbsent("revisionHistoryLimit", 10);
        spec.putIfAbsent("progressDeadlineSeconds", 600);
        Map<String, Object> template = map(spec, "template");
        map(template, "metadata").putIfAbsent("creationTimestamp", null);
        podSpec(map(template, "spec"));
    }

    private static void podSpec(Map<String, Object> pod) {
        pod.putIfAbsent("dnsPolicy", "ClusterFirst");
        pod.putIfAbsent("restartPolicy", "Always");
        pod.putIfAbsent("securityContext", new LinkedHashMap<>());
        pod.putIfAbsent("terminationGracePeriodSeconds", 30);
        pod.putIfAbsent("schedulerName", "default-scheduler");
        for (Map<String, Object> container : list(pod, "containers")) {
            container(container);
        }
        for (Map<String, Object> container : list(pod, "initContainers")) {
            container(container);
        }
        for (Map<String, Object> volume : list(pod, "volumes")) {
            volume(volume);
        }
    }

    private static void container(Map<String, Object> container) {
        if (!container.containsKey("imagePullPolicy")) {
            String image = (String) container.get("image");
            boolean latest = !image.contains("@") && (image.endsWith(":latest") || !hasTag(image));
            container.put("imagePullPolicy", latest ? "Always" : "IfNotPresent");
        }
        container.putIfAbsent("terminationMessagePath", "/dev/termination-log");
        container.putIfAbsent("terminationMessagePolicy", "File");
        Map<String, Object> resources = map(container, "resources");
        for (String kind : List.of("limits", "requests")) {
            if (resources.get(kind) instanceof Map<?, ?> quantities) {
                canonical(quantities);
            }
        }
        for (Map<String, Object> port : list(container, "ports")) {
            port.putIfAbsent("protocol", "TCP");
        }
        for (Map<String, Object> env : list(container, "env")) {
            if ("".equals(env.get("value"))) {
                env.remove("value");
            }
            if (env.get("valueFrom") instanceof Map<?, ?> from && from.get("fieldRef") instanceof Map<?, ?> ref) {
                cast(ref).putIfAbsent("apiVersion", "v1");
            }
        }
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            if (container.get(probe) instanceof Map<?, ?> p) {
                probe(cast(p));
            }
        }
    }

    private static void probe(Map<String, Object> probe) {
        probe.putIfAbsent("timeoutSeconds", 1);
        probe.putIfAbsent("periodSeconds", 10);
        probe.putIfAbsent("successThreshold", 1);
        probe.putIfAbsent("failureThreshold", 3);
        if (probe.get("httpGet") instanceof Map<?, ?> get) {
            cast(get).putIfAbsent("path", "/");
            cast(get).putIfAbsent("scheme", "HTTP");
        }
    }

    private static void volume(Map<String, Object> volume) {
        if (volume.keySet().stream().allMatch("name"::equals)) {
            volume.put("emptyDir", new LinkedHashMap<>());
        }
        if (volume.get("secret") instanceof Map<?, ?> secret) {
            cast(secret).putIfAbsent("defaultMode", 420);
        }
        if (volume.get("configMap") instanceof Map<?, ?> configMap) {
            cast(configMap).putIfAbsent("defaultMode", 420);
        }
        if (volume.get("emptyDir") instanceof Map<?, ?> emptyDir && emptyDir.get("sizeLimit") != null) {
            cast(emptyDir).put("sizeLimit", CanonicalQuantity.of(String.valueOf(emptyDir.get("sizeLimit"))));
        }
    }

    private void service(Map<String, Object> service) {
        Map<String, Object> spec = map(service, "spec");
        spec.putIfAbsent("sessionAffinity", "None");
        spec.putIfAbsent("type", "ClusterIP");
        for (Map<String, Object> port : list(spec, "ports")) {
            port.putIfAbsent("protocol", "TCP");
            port.putIfAbsent("targetPort", port.get("port"));
        }
        spec.putIfAbsent("internalTrafficPolicy", "Cluster");
        String ip = "10.96.0." + nextIp++;
        spec.putIfAbsent("clusterIP", ip);
        spec.putIfAbsent("clusterIPs", new ArrayList<>(List.of(ip)));
        spec.putIfAbsent("ipFamilies", new ArrayList<>(List.of("IPv4")));
        spec.putIfAbsent("ipFamilyPolicy", "SingleStack");
        service.putIfAbsent("status", new LinkedHashMap<>(Map.of("loadBalancer", new LinkedHashMap<>())));
    }

    private static void hpa(Map<String, Object> hpa) {
        Map<String, Object> spec = map(hpa, "spec");
        spec.putIfAbsent("minReplicas", 1);
        if (list(spec, "metrics").isEmpty()) {
            spec.put(
                    "metrics",
                    new ArrayList<>(List.of(Map.of(
                            "type",
                            "Resource",
                            "resource",
                            Map.of(
                                    "name",
                                    "cpu",
                                    "target",
                                    Map.of("type", "Utilization", "averageUtilization", 80))))));
        }
    }

    private static boolean hasTag(String image) {
        int slash = image.lastIndexOf('/');
        return image.indexOf(':', slash + 1) >= 0;
    }

    private static void canonical(Map<?, ?> quantities) {
        Map<String, Object> q = cast(quantities);
        q.replaceAll((name, amount) -> CanonicalQuantity.of(String.valueOf(amount)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value instanceof Map<?, ?> m) {
            return cast(m);
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
