package dev.berth.cli.run;

import dev.berth.cli.CliException;
import dev.berth.cli.container.CliLabels;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.PortSpec;
import dev.berth.cli.format.Json;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.ImageInfo;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.ContainerMetadata;
import dev.berth.cri.v1.ImageSpec;
import dev.berth.cri.v1.Int64Value;
import dev.berth.cri.v1.KeyValue;
import dev.berth.cri.v1.LinuxContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.v1.Mount;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns docker run's flags into CRI's pod sandbox and container configs. */
public final class RunSpecBuilder {

    private static final long CPU_PERIOD = 100_000;

    private final RunOptions options;
    private final boolean autoRemove;
    private final boolean detach;
    private final String restartPolicy;

    /** {@code restartPolicy} as {@link #restartPolicy} checked it. */
    public RunSpecBuilder(RunOptions options, boolean autoRemove, boolean detach, String restartPolicy) {
        this.options = options;
        this.autoRemove = autoRemove;
        this.detach = detach;
        this.restartPolicy = restartPolicy;
    }

    /** docker's {@code --restart} value, checked: no, always, on-failure or on-failure:N. */
    public static String restartPolicy(String value, boolean autoRemove) {
        if (value == null || value.equals("no")) {
            return "no";
        }
        if (!value.equals("always") && !value.matches("on-failure(:[0-9]{1,9})?")) {
            throw new CliException("invalid restart policy " + value + ": use no, always, on-failure or on-failure:N");
        }
        if (autoRemove) {
            throw new CliException("Conflicting options: --restart and --rm");
        }
        return value;
    }

    /** The published ports as given; a port without a host port still has 0 there. */
    public List<PortSpec> ports() {
        if (options.network.equals("host")) {
            return List.of();
        }
        return options.publish.stream().map(PortSpec::parse).toList();
    }

    public boolean hostNetwork() {
        return switch (options.network) {
            case "host" -> true;
            case "bridge", "default" -> false;
            default -> throw new CliException("network " + options.network + " is not supported: use bridge or host");
        };
    }

    public RunSpec build(String name, String imageRef, ImageInfo image, List<String> args, List<PortSpec> ports) {
        String metadataName = Names.metadataName(name);
        String uid = UUID.randomUUID().toString();
        List<String> command = command(image, args);
        Map<String, String> labels = labels(name);
        ContainerConfig container = container(metadataName, imageRef, args, labels);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CliLabels.IMAGE, imageRef);
        annotations.put(CliLabels.PORTS, PortSpec.toAnnotation(ports));
        annotations.put(CliLabels.COMMAND, json(command));
        annotations.put(CliLabels.CONFIG, Base64.getEncoder().encodeToString(container.toByteArray()));
        if (autoRemove) {
            annotations.put(CliLabels.AUTO_REMOVE, "true");
            if (detach) {
                // no CLI stays to remove it: berthd does, when the container exits
                annotations.put(CliLabels.REMOVE_ON_EXIT, "true");
            }
        }
        if (!restartPolicy.equals("no")) {
            annotations.put(CliLabels.RESTART_POLICY, restartPolicy);
        }
        boolean host = hostNetwork();
        PodSandboxConfig.Builder pod = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(metadataName)
                        .setNamespace(CliLabels.NAMESPACE)
                        .setUid(uid)
                        .setAttempt(0))
                .setLogDirectory(Lifecycle.logDirectory(metadataName, uid))
                .putAllLabels(labels)
                .putAllAnnotations(annotations)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(NamespaceOption.newBuilder()
                                        .setNetwork(host ? NamespaceMode.NODE : NamespaceMode.POD)
                                        .setPid(NamespaceMode.CONTAINER)
                                        .setIpc(NamespaceMode.POD))));
        if (!host) {
            pod.setHostname(options.hostname != null ? options.hostname : hostname(metadataName));
        }
        ports.forEach(port -> pod.addPortMappings(port.toCri()));
        return new RunSpec(name, pod.build(), container, ports, command);
    }

    private ContainerConfig container(
            String metadataName, String imageRef, List<String> args, Map<String, String> labels) {
        ContainerConfig.Builder container = ContainerConfig.newBuilder()
                .setMetadata(
                        ContainerMetadata.newBuilder().setName(metadataName).setAttempt(0))
                .setImage(ImageSpec.newBuilder().setImage(imageRef))
                .setLogPath(metadataName + "/0.log")
                .putAllLabels(labels)
                .setStdin(options.interactive)
                // as docker: stdin closes when a foreground run's session ends, so a pipe's end reaches the command;
                // on a terminal the end is a typed Ctrl-D, and stdin stays for an attach after Ctrl-P Ctrl-Q
                .setStdinOnce(options.interactive && !detach && !options.tty)
                .setTty(options.tty);
        if (options.entrypoint != null) {
            container.addCommand(options.entrypoint);
        }
        container.addAllArgs(args);
        if (options.workdir != null) {
            container.setWorkingDir(options.workdir);
        }
        env().forEach((key, value) ->
                container.addEnvs(KeyValue.newBuilder().setKey(key).setValue(value)));
        mounts().forEach(container::addMounts);
        LinuxContainerConfig.Builder linux = LinuxContainerConfig.newBuilder();
        LinuxContainerResources.Builder resources = LinuxContainerResources.newBuilder();
        if (options.memory != null) {
            resources.setMemoryLimitInBytes(Units.parseMemory(options.memory));
        }
        if (options.cpus != null) {
            if (options.cpus <= 0) {
                throw new CliException("--cpus must be more than 0, got " + options.cpus);
            }
            resources.setCpuPeriod(CPU_PERIOD).setCpuQuota(Math.round(options.cpus * CPU_PERIOD));
        }
        linux.setResources(resources);
        LinuxContainerSecurityContext.Builder security = LinuxContainerSecurityContext.newBuilder();
        if (options.user != null) {
            user(options.user, security);
        }
        linux.setSecurityContext(security);
        return container.setLinux(linux).build();
    }

    private Map<String, String> labels(String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : options.labels) {
            int eq = label.indexOf('=');
            labels.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
        }
        labels.put(CliLabels.NAME, name);
        return labels;
    }

    /** What docker runs: the entrypoint (flag, else the image's) and the arguments (given, else the image's cmd). */
    private List<String> command(ImageInfo image, List<String> args) {
        List<String> command = new ArrayList<>();
        if (options.entrypoint != null) {
            command.add(options.entrypoint);
            command.addAll(args);
            return command;
        }
        command.addAll(image.entrypoint());
        command.addAll(args.isEmpty() ? image.cmd() : args);
        return command;
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String file : options.envFiles) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                throw new CliException("cannot read the env file " + file + ": " + e.getMessage());
            }
            lines.stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .forEach(line -> putEnv(env, line));
        }
        options.env.forEach(item -> putEnv(env, item));
        return env;
    }

    private static void putEnv(Map<String, String> env, String item) {
        int eq = item.indexOf('=');
        if (eq == 0) {
            throw new CliException("invalid environment variable: " + item);
        }
        if (eq < 0) {
            String value = System.getenv(item);
            if (value != null) {
                env.put(item, value);
            }
            return;
        }
        env.put(item.substring(0, eq), item.substring(eq + 1));
    }

    private List<Mount> mounts() {
        List<Mount> mounts = new ArrayList<>();
        for (String volume : options.volumes) {
            String[] parts = volume.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new CliException("invalid volume " + volume + ": use HOST:CONTAINER[:ro]");
            }
            if (!parts[0].startsWith("/") || !parts[1].startsWith("/")) {
                throw new CliException(
                        "invalid volume " + volume + ": both paths must be absolute (named volumes are not supported)");
            }
            boolean readOnly = false;
            if (parts.length == 3) {
                readOnly = switch (parts[2]) {
                    case "ro" -> true;
                    case "rw" -> false;
                    default ->
                        throw new CliException("invalid volume mode " + parts[2] + " in " + volume + ": ro or rw");
                };
            }
            Path host = Path.of(parts[0]);
            if (!Files.exists(host)) {
                try {
                    Files.createDirectories(host); // as docker does for a missing host path
                } catch (IOException e) {
                    throw new CliException("cannot create the host directory " + host + ": " + e.getMessage());
                }
            }
            mounts.add(Mount.newBuilder()
                    .setHostPath(host.toString())
                    .setContainerPath(parts[1])
                    .setReadonly(readOnly)
                    .build());
        }
        return mounts;
    }

    /** USER[:GROUP]: a number is a uid (gid), anything else a user name, which CRI resolves in the image. */
    private static void user(String value, LinuxContainerSecurityContext.Builder security) {
        String[] parts = value.split(":", 2);
        if (parts[0].matches("[0-9]+")) {
            security.setRunAsUser(Int64Value.newBuilder().setValue(Long.parseLong(parts[0])));
        } else if (!parts[0].isEmpty()) {
            security.setRunAsUsername(parts[0]);
        } else {
            throw new CliException("invalid user " + value + ": USER[:GROUP]");
        }
        if (parts.length == 2) {
            if (!parts[1].matches("[0-9]+")) {
                throw new CliException("invalid group in " + value + ": CRI takes a numeric gid");
            }
            security.setRunAsGroup(Int64Value.newBuilder().setValue(Long.parseLong(parts[1])));
        }
    }

    private static String hostname(String metadataName) {
        String name = metadataName.replace('.', '-');
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private static String json(List<String> command) {
        return Json.stringArray(command);
    }
}
