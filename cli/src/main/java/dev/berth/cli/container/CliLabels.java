package dev.berth.cli.container;

/**
 * The labels and annotations that mark a pod sandbox as one of the CLI's containers. kubelet's pods never carry
 * {@link #NAME}, so the CLI lists and removes only its own unless given an ID.
 */
public final class CliLabels {

    /** Label on the pod and its container: the container's name, unique among the CLI's containers. */
    public static final String NAME = "dev.berth.cli/name";
    /** The pod namespace the CLI's pods are made in. */
    public static final String NAMESPACE = "berth-cli";
    /** Annotation: the published ports, as {@code PortSpec#toString} writes them, comma-separated. */
    public static final String PORTS = "dev.berth.cli/ports";
    /** Annotation: the command the container runs (entrypoint and arguments), a JSON array, for ps. */
    public static final String COMMAND = "dev.berth.cli/command";
    /** Annotation: the image as the user named it. */
    public static final String IMAGE = "dev.berth.cli/image";
    /** Annotation: the ContainerConfig, base64 protobuf, so start can create the container again. */
    public static final String CONFIG = "dev.berth.cli/container-config";
    /** Annotation: "true" when the container goes with its pod once it exits (run --rm). */
    public static final String AUTO_REMOVE = "dev.berth.cli/auto-remove";

    /**
     * Pod annotation berthd acts on for the CLI's pods: docker's {@code --restart} policy. Another CRI runtime
     * ignores it, so there the policy is recorded but nothing restarts.
     */
    public static final String RESTART_POLICY = "berth.dev/restart-policy";
    /** Pod annotation berthd acts on: remove the pod once its container exited for good ({@code run --rm -d}). */
    public static final String REMOVE_ON_EXIT = "berth.dev/auto-remove";
    /** Container annotation berthd sets on a container it restarted: how many restarts made it. */
    public static final String RESTART_COUNT = "berth.dev/restart-count";
    /** Container annotation berthd sets on a container it restarted: the exit code of the one before. */
    public static final String LAST_EXIT_CODE = "berth.dev/last-exit-code";

    private CliLabels() {}
}
