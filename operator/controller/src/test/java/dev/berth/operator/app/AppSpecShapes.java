package dev.berth.operator.app;

import dev.berth.operator.model.AppPort;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.AppVolume;
import dev.berth.operator.model.Autoscaling;
import dev.berth.operator.model.ConfigMapSource;
import dev.berth.operator.model.EmptyDirSource;
import dev.berth.operator.model.HealthCheck;
import dev.berth.operator.model.PersistentVolumeClaimSource;
import dev.berth.operator.model.Protocol;
import dev.berth.operator.model.SecretSource;
import dev.berth.operator.model.Strategy;
import dev.berth.operator.model.StrategyType;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * App specs of every shape the model allows: each optional part alone, each one left out of a full spec, all
 * absent, all present, and the combinations with their own code paths (autoscaling without replicas, Recreate,
 * an exec check without ports, scale to zero, limits without requests, imageRef). Specs are parsed from JSON as
 * the API server's answer is, so unset fields are what Jackson leaves, not what a builder would.
 */
final class AppSpecShapes {
    private AppSpecShapes() {}

    static Map<String, AppSpec> all() {
        Map<String, AppSpec> shapes = new LinkedHashMap<>();
        shapes.put("image only (every optional field absent)", spec(s -> {}));
        shapes.put("imageRef only", imageRef(s -> {}));
        shapes.put("every field present", full(s -> {}));
        shapes.put("full without env", full(s -> s.setEnv(null)));
        shapes.put("full without envFrom", full(s -> s.setEnvFrom(null)));
        shapes.put("full without ports (exec health check)", full(s -> {
            s.setPorts(null);
            s.setHealthCheck(execCheck());
        }));
        shapes.put("full without health check", full(s -> s.setHealthCheck(null)));
        shapes.put("full without resources", full(s -> s.setResources(null)));
        shapes.put("full without volumes", full(s -> s.setVolumes(null)));
        shapes.put("full without autoscaling", full(s -> s.setAutoscaling(null)));
        shapes.put("full without strategy", full(s -> s.setStrategy(null)));
        shapes.put("full without command and args", full(s -> {
            s.setCommand(null);
            s.setArgs(null);
        }));
        shapes.put("full with empty lists", full(s -> {
            s.setEnv(List.of());
            s.setEnvFrom(List.of());
            s.setCommand(List.of());
            s.setArgs(List.of());
            s.setVolumes(List.of());
        }));
        shapes.put("env only", spec(s -> s.setEnv(env())));
        shapes.put("ports only", spec(s -> s.setPorts(ports())));
        shapes.put("one unnamed port", spec(s -> s.setPorts(List.of(port(null, 8080, null, null)))));
        shapes.put("http health check on the first port", spec(s -> {
            s.setPorts(ports());
            s.setHealthCheck(httpCheck(false));
        }));
        shapes.put("http health check with every timing", spec(s -> {
            s.setPorts(ports());
            s.setHealthCheck(httpCheck(true));
        }));
        shapes.put("exec health check without ports", spec(s -> s.setHealthCheck(execCheck())));
        shapes.put(
                "resources limits only",
                spec(s -> s.setResources(new ResourceRequirementsBuilder()
                        .addToLimits("cpu", new Quantity("1"))
                        .addToLimits("memory", new Quantity("512Mi"))
                        .build())));
        shapes.put("resources in non-canonical units", spec(s -> s.setResources(resources())));
        shapes.put("volumes only", spec(s -> s.setVolumes(volumes())));
        shapes.put(
                "emptyDir without size limit",
                spec(s -> s.setVolumes(List.of(volume("tmp", "/tmp", v -> v.setEmptyDir(new EmptyDirSource()))))));
        shapes.put("emptyDir size limit in non-canonical units", spec(s -> {
            EmptyDirSource limited = new EmptyDirSource();
            limited.setSizeLimit(new Quantity("1024Mi"));
            s.setVolumes(List.of(volume("cache", "/cache", v -> v.setEmptyDir(limited))));
        }));
        shapes.put("autoscaling only", spec(s -> s.setAutoscaling(autoscaling(null, 5, null))));
        shapes.put("autoscaling with every field", spec(s -> s.setAutoscaling(autoscaling(2, 10, 65))));
        shapes.put("recreate strategy", spec(s -> s.setStrategy(strategy(StrategyType.Recreate, null, null))));
        shapes.put(
                "rolling update with only a type",
                spec(s -> s.setStrategy(strategy(StrategyType.RollingUpdate, null, null))));
        shapes.put(
                "rolling update with only maxSurge",
                spec(s -> s.setStrategy(strategy(StrategyType.RollingUpdate, new IntOrString(1), null))));
        shapes.put("scaled to zero", spec(s -> s.setReplicas(0)));
        shapes.put("runtimeClassName and progress deadline", spec(s -> {
            s.setRuntimeClassName("berth-gvisor");
            s.setProgressDeadlineSeconds(120);
        }));
        return shapes;
    }

    static AppSpec spec(Consumer<AppSpec> shape) {
        AppSpec spec = new AppSpec();
        spec.setImage("registry.example/shop/web:1.4");
        shape.accept(spec);
        return spec;
    }

    static AppSpec imageRef(Consumer<AppSpec> shape) {
        AppSpec spec = new AppSpec();
        spec.setImageRef("web");
        shape.accept(spec);
        return spec;
    }

    static AppSpec full(Consumer<AppSpec> shape) {
        return spec(s -> {
            s.setReplicas(3);
            s.setCommand(List.of("/bin/web"));
            s.setArgs(List.of("--listen", ":8080"));
            s.setEnv(env());
            s.setEnvFrom(List.of(new EnvFromSourceBuilder()
                    .withNewConfigMapRef()
                    .withName("web-config")
                    .endConfigMapRef()
                    .withPrefix("CFG_")
                    .build()));
            s.setPorts(ports());
            s.setResources(resources());
            s.setHealthCheck(httpCheck(true));
            s.setVolumes(volumes());
            s.setAutoscaling(autoscaling(2, 6, 70));
            s.setStrategy(strategy(StrategyType.RollingUpdate, new IntOrString(1), new IntOrString("10%")));
            s.setRuntimeClassName("berth");
            shape.accept(s);
        });
    }

    static List<EnvVar> env() {
        return new ArrayList<>(List.of(
                new EnvVarBuilder().withName("MODE").withValue("production").build(),
                // the API server stores an empty value as no value (omitempty)
                new EnvVarBuilder().withName("EMPTY").withValue("").build(),
                // ObjectFieldSelector is atomic and its apiVersion defaulted: the whole stored selector is compared
                new EnvVarBuilder()
                        .withName("POD_NAME")
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath("metadata.name")
                        .endFieldRef()
                        .endValueFrom()
                        .build(),
                new EnvVarBuilder()
                        .withName("DB_PASSWORD")
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName("db")
                        .withKey("password")
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build()));
    }

    static List<AppPort> ports() {
        return new ArrayList<>(List.of(port("http", 8080, null, 80), port(null, 9090, Protocol.UDP, null)));
    }

    static AppPort port(String name, int containerPort, Protocol protocol, Integer servicePort) {
        AppPort port = new AppPort();
        port.setName(name);
        port.setContainerPort(containerPort);
        if (protocol != null) {
            port.setProtocol(protocol);
        }
        port.setServicePort(servicePort);
        return port;
    }

    /** Non-canonical amounts: the API server writes "0.5" back as "500m" and "1024Mi" as "1Gi". */
    static ResourceRequirements resources() {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("0.5"))
                .addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("cpu", new Quantity("2000m"))
                .addToLimits("memory", new Quantity("1024Mi"))
                .build();
    }

    static HealthCheck httpCheck(boolean timings) {
        HealthCheck check = new HealthCheck();
        check.setPath("/healthz");
        if (timings) {
            check.setPort(8080);
            check.setInitialDelaySeconds(5);
            check.setPeriodSeconds(15);
            check.setTimeoutSeconds(2);
            check.setFailureThreshold(4);
        }
        return check;
    }

    static HealthCheck execCheck() {
        HealthCheck check = new HealthCheck();
        check.setCommand(List.of("/bin/check", "--quick"));
        return check;
    }

    static List<AppVolume> volumes() {
        EmptyDirSource limited = new EmptyDirSource();
        limited.setSizeLimit(new Quantity("1Gi"));
        ConfigMapSource configMap = new ConfigMapSource();
        configMap.setName("web-config");
        SecretSource secret = new SecretSource();
        secret.setSecretName("web-tls");
        PersistentVolumeClaimSource claim = new PersistentVolumeClaimSource();
        claim.setClaimName("web-data");
        return new ArrayList<>(List.of(
                volume("scratch", "/scratch", v -> v.setEmptyDir(new EmptyDirSource())),
                volume("cache", "/cache", v -> v.setEmptyDir(limited)),
                volume("config", "/etc/web", v -> {
                    v.setConfigMap(configMap);
                    v.setReadOnly(true);
                }),
                volume("tls", "/etc/tls", v -> v.setSecret(secret)),
                volume("data", "/data", v -> {
                    v.setPersistentVolumeClaim(claim);
                    v.setReadOnly(true);
                })));
    }

    static AppVolume volume(String name, String mountPath, Consumer<AppVolume> source) {
        AppVolume volume = new AppVolume();
        volume.setName(name);
        volume.setMountPath(mountPath);
        source.accept(volume);
        return volume;
    }

    static Autoscaling autoscaling(Integer min, int max, Integer cpu) {
        Autoscaling autoscaling = new Autoscaling();
        autoscaling.setMinReplicas(min);
        autoscaling.setMaxReplicas(max);
        autoscaling.setTargetCPUUtilizationPercentage(cpu);
        return autoscaling;
    }

    static Strategy strategy(StrategyType type, IntOrString maxSurge, IntOrString maxUnavailable) {
        Strategy strategy = new Strategy();
        strategy.setType(type);
        strategy.setMaxSurge(maxSurge);
        strategy.setMaxUnavailable(maxUnavailable);
        return strategy;
    }
}
