package dev.berth.operator.app;

import dev.berth.image.reference.ImageReference;
import dev.berth.image.reference.InvalidReferenceException;
import dev.berth.operator.model.AppPort;
import dev.berth.operator.model.AppSpec;
import dev.berth.operator.model.AppVolume;
import dev.berth.operator.model.Autoscaling;
import dev.berth.operator.model.HealthCheck;
import dev.berth.operator.model.StrategyType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks the CRD's schema cannot make (or that an API server without CEL skips): each problem in words
 * the App's author can act on. An empty list means the spec can be turned into a Deployment.
 */
public final class AppSpecValidator {

    public List<String> problems(AppSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            return List.of("spec is missing");
        }
        checkImage(spec, problems);
        checkReplicas(spec, problems);
        checkPorts(spec.getPorts(), problems);
        checkVolumes(spec.getVolumes(), problems);
        checkHealthCheck(spec, problems);
        checkAutoscaling(spec.getAutoscaling(), problems);
        if (spec.getStrategy() != null
                && spec.getStrategy().getType() == StrategyType.Recreate
                && (spec.getStrategy().getMaxSurge() != null
                        || spec.getStrategy().getMaxUnavailable() != null)) {
            problems.add("strategy: maxSurge and maxUnavailable apply to RollingUpdate only, not Recreate");
        }
        return List.copyOf(problems);
    }

    private static void checkImage(AppSpec spec, List<String> problems) {
        boolean image = hasText(spec.getImage());
        boolean ref = hasText(spec.getImageRef());
        if (image == ref) {
            problems.add(
                    image
                            ? "set either image or imageRef, not both (image '" + spec.getImage() + "', imageRef '"
                                    + spec.getImageRef() + "')"
                            : "set image (a reference such as registry/repo:tag) or imageRef (an Image's name)");
            return;
        }
        if (image) {
            try {
                ImageReference.parse(spec.getImage());
            } catch (InvalidReferenceException | RuntimeException e) {
                problems.add("image '" + spec.getImage() + "' is not a valid image reference: " + e.getMessage());
            }
        }
    }

    private static void checkReplicas(AppSpec spec, List<String> problems) {
        if (spec.getReplicas() != null && spec.getReplicas() < 0) {
            problems.add("replicas must be 0 or more, got " + spec.getReplicas());
        }
        if (spec.getProgressDeadlineSeconds() != null && spec.getProgressDeadlineSeconds() < 1) {
            problems.add("progressDeadlineSeconds must be 1 or more, got " + spec.getProgressDeadlineSeconds());
        }
    }

    private static void checkPorts(List<AppPort> ports, List<String> problems) {
        Set<String> names = new HashSet<>();
        Set<String> containerPorts = new HashSet<>();
        Set<String> servicePorts = new HashSet<>();
        for (AppPort port : nullSafe(ports)) {
            Integer number = port.getContainerPort();
            if (number == null || number < 1 || number > 65535) {
                problems.add("ports: containerPort must be 1..65535, got " + number);
                continue;
            }
            String name = AppPorts.name(port);
            if (!names.add(name)) {
                problems.add("ports: the name '" + name + "' is used twice; every port needs its own name");
            }
            String protocol = AppPorts.protocol(port);
            if (!containerPorts.add(number + "/" + protocol)) {
                problems.add("ports: containerPort " + number + "/" + protocol + " is declared twice");
            }
            int servicePort = AppPorts.servicePort(port);
            if (servicePort < 1 || servicePort > 65535) {
                problems.add("ports: servicePort of '" + name + "' must be 1..65535, got " + servicePort);
            } else if (!servicePorts.add(servicePort + "/" + protocol)) {
                problems.add("ports: servicePort " + servicePort + "/" + protocol + " is declared twice");
            }
        }
    }

    private static void checkVolumes(List<AppVolume> volumes, List<String> problems) {
        Set<String> names = new HashSet<>();
        Set<String> mountPaths = new HashSet<>();
        for (AppVolume volume : nullSafe(volumes)) {
            String name = volume.getName();
            if (!hasText(name)) {
                problems.add("volumes: every volume needs a name");
                continue;
            }
            if (!names.add(name)) {
                problems.add("volumes: the name '" + name + "' is used twice");
            }
            if (!hasText(volume.getMountPath()) || !volume.getMountPath().startsWith("/")) {
                problems.add("volume '" + name + "' needs an absolute mountPath, got '" + volume.getMountPath() + "'");
            } else if (!mountPaths.add(volume.getMountPath())) {
                problems.add("volume '" + name + "': mountPath " + volume.getMountPath() + " is used twice");
            }
            long sources = Stream.of(
                            volume.getEmptyDir(),
                            volume.getConfigMap(),
                            volume.getSecret(),
                            volume.getPersistentVolumeClaim())
                    .filter(s -> s != null)
                    .count();
            if (sources != 1) {
                problems.add("volume '" + name + "' needs exactly one source of emptyDir, configMap, secret and "
                        + "persistentVolumeClaim, it has " + sources);
            } else {
                checkVolumeSource(volume, problems);
            }
        }
    }

    private static void checkVolumeSource(AppVolume volume, List<String> problems) {
        if (volume.getConfigMap() != null && !hasText(volume.getConfigMap().getName())) {
            problems.add("volume '" + volume.getName() + "': configMap needs the ConfigMap's name");
        }
        if (volume.getSecret() != null && !hasText(volume.getSecret().getSecretName())) {
            problems.add("volume '" + volume.getName() + "': secret needs secretName");
        }
        if (volume.getPersistentVolumeClaim() != null
                && !hasText(volume.getPersistentVolumeClaim().getClaimName())) {
            problems.add("volume '" + volume.getName() + "': persistentVolumeClaim needs claimName");
        }
    }

    private static void checkHealthCheck(AppSpec spec, List<String> problems) {
        HealthCheck check = spec.getHealthCheck();
        if (check == null) {
            return;
        }
        boolean path = hasText(check.getPath());
        boolean command = check.getCommand() != null && !check.getCommand().isEmpty();
        if (path == command) {
            problems.add("healthCheck: set either path (an HTTP GET) or command (run in the container), "
                    + (path ? "not both" : "neither is set"));
            return;
        }
        if (path && check.getPort() == null && nullSafe(spec.getPorts()).isEmpty()) {
            problems.add(
                    "healthCheck: path " + check.getPath() + " needs a port: set healthCheck.port or declare a port");
        }
    }

    private static void checkAutoscaling(Autoscaling autoscaling, List<String> problems) {
        if (autoscaling == null) {
            return;
        }
        Integer max = autoscaling.getMaxReplicas();
        int min = autoscaling.getMinReplicas() == null ? 1 : autoscaling.getMinReplicas();
        if (max == null || max < 1) {
            problems.add("autoscaling: maxReplicas must be 1 or more, got " + max);
        } else if (min < 1 || min > max) {
            problems.add("autoscaling: minReplicas must be 1..maxReplicas (" + max + "), got " + min);
        }
        Integer target = autoscaling.getTargetCPUUtilizationPercentage();
        if (target != null && (target < 1 || target > 100)) {
            problems.add("autoscaling: targetCPUUtilizationPercentage must be 1..100, got " + target);
        }
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
