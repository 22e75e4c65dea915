package dev.berth.restart;

import java.util.Map;

/**
 * What the {@code berth} CLI asks of berthd through a pod's annotations, beside CRI, for docker's behaviours that
 * need someone present when a container exits. Honoured only on the CLI's own pods: those carrying its name label
 * and none of kubelet's, so a Kubernetes pod is never restarted or removed by berthd whatever its annotations say.
 */
public final class CliPodAnnotations {

    /** Pod annotation: docker's {@code --restart} value. */
    public static final String RESTART_POLICY = "berth.dev/restart-policy";
    /** Pod annotation: "true" to remove the pod once its container exited for good ({@code run --rm -d}). */
    public static final String AUTO_REMOVE = "berth.dev/auto-remove";
    /** Container annotation set by berthd on a restarted container: how many restarts made it. */
    public static final String RESTART_COUNT = "berth.dev/restart-count";
    /** Container annotation set by berthd on a restarted container: the exit code of the one it replaces. */
    public static final String LAST_EXIT_CODE = "berth.dev/last-exit-code";
    /** Container annotation set by berthd on a restarted container: the back-off it waited, in milliseconds. */
    public static final String RESTART_DELAY_MS = "berth.dev/restart-delay-ms";

    /** The CLI's label on its pods (its container name). */
    static final String CLI_NAME_LABEL = "dev.berth.cli/name";
    /** kubelet labels every pod sandbox with its pod's UID. */
    static final String KUBELET_POD_UID_LABEL = "io.kubernetes.pod.uid";

    private CliPodAnnotations() {}

    /** Whether a pod with these labels is the CLI's, which berthd may restart and remove by itself. */
    public static boolean cliOwned(Map<String, String> podLabels) {
        return podLabels.containsKey(CLI_NAME_LABEL) && !podLabels.containsKey(KUBELET_POD_UID_LABEL);
    }

    static int intOf(Map<String, String> annotations, String key, int fallback) {
        String value = annotations.getOrDefault(key, "");
        return value.matches("[0-9]{1,9}") ? Integer.parseInt(value) : fallback;
    }
}
