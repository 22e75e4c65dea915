package dev.berth.operator.app;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the App's pods the way a developer would read {@code kubectl describe pod}, and says what stops
 * each one: the registry's pull error, a crash loop with its last exit code or OOM kill, a pod no node
 * can take, a missing ConfigMap or Secret.
 */
public final class PodDiagnosis {
    private static final Set<String> PULL_FAILURES =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");
    private static final Set<String> CONFIG_FAILURES = Set.of("CreateContainerConfigError", "CreateContainerError");

    /** The problems of these pods, most actionable first; healthy and terminating pods contribute nothing. */
    public List<PodProblem> problems(Collection<Pod> pods) {
        List<PodProblem> problems = new ArrayList<>();
        pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .forEach(pod -> problems.addAll(diagnose(pod)));
        return problems;
    }

    /**
     * One line per distinct problem (the same crash in ten pods is one line, naming one pod and the count),
     * at most {@code limit} lines.
     */
    public static String summarize(List<PodProblem> problems, int limit) {
        Map<String, List<PodProblem>> byDetail = new LinkedHashMap<>();
        for (PodProblem p : problems) {
            byDetail.computeIfAbsent(p.reason() + "|" + p.detail(), k -> new ArrayList<>())
                    .add(p);
        }
        List<String> lines = new ArrayList<>();
        for (List<PodProblem> same : byDetail.values()) {
            if (lines.size() == limit) {
                lines.add("and " + (byDetail.size() - limit) + " more problem(s)");
                break;
            }
            PodProblem first = same.getFirst();
            String pods = same.size() == 1
                    ? "pod " + first.pod()
                    : "pod " + first.pod() + " and " + (same.size() - 1) + " more";
            lines.add(pods + ": " + first.detail());
        }
        return String.join("; ", lines);
    }

    private static List<PodProblem> diagnose(Pod pod) {
        String name = pod.getMetadata().getName();
        List<PodProblem> problems = new ArrayList<>();
        if (pod.getStatus() == null) {
            return problems;
        }
        for (PodCondition c : nullSafe(pod.getStatus().getConditions())) {
            if ("PodScheduled".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason())) {
                problems.add(new PodProblem(
                        "Unschedulable",
                        name,
                        "cannot be scheduled on any node: " + orDefault(c.getMessage(), "no reason given")
                                + " (lower resources.requests, or add nodes)"));
            }
        }
        List<ContainerStatus> statuses =
                new ArrayList<>(nullSafe(pod.getStatus().getInitContainerStatuses()));
        statuses.addAll(nullSafe(pod.getStatus().getContainerStatuses()));
        for (ContainerStatus status : statuses) {
            PodProblem problem = container(name, status);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private static PodProblem container(String pod, ContainerStatus status) {
        ContainerStateWaiting waiting =
                status.getState() == null ? null : status.getState().getWaiting();
        ContainerStateTerminated last =
                status.getLastState() == null ? null : status.getLastState().getTerminated();
        ContainerStateTerminated now =
                status.getState() == null ? null : status.getState().getTerminated();
        String reason = waiting == null ? null : waiting.getReason();
        if (reason != null && PULL_FAILURES.contains(reason)) {
            return new PodProblem(
                    "ImagePullFailed",
                    pod,
                    "cannot pull image " + orDefault(status.getImage(), "") + " (" + reason + "): "
                            + orDefault(waiting.getMessage(), "the runtime gave no message"));
        }
        if (reason != null && CONFIG_FAILURES.contains(reason)) {
            return new PodProblem(
                    "CreateContainerConfigError",
                    pod,
                    "container " + status.getName() + " cannot be created (" + reason + "): "
                            + orDefault(waiting.getMessage(), "no message"));
        }
        if ("CrashLoopBackOff".equals(reason)) {
            return crashLoop(pod, status, last);
        }
        if (now != null && "OOMKilled".equals(now.getReason())) {
            return oomKilled(pod, status);
        }
        return null;
    }

    private static PodProblem crashLoop(String pod, ContainerStatus status, ContainerStateTerminated last) {
        if (last != null && "OOMKilled".equals(last.getReason())) {
            return oomKilled(pod, status);
        }
        String exit = last == null || last.getExitCode() == null
                ? "exit code unknown"
                : "last exit code " + last.getExitCode()
                        + (last.getReason() == null ? "" : " (" + last.getReason() + ")");
        String logs =
                last != null && last.getMessage() != null && !last.getMessage().isBlank()
                        ? ", last message: " + last.getMessage().strip()
                        : "";
        return new PodProblem(
                "CrashLoopBackOff",
                pod,
                "container " + status.getName() + " keeps crashing (CrashLoopBackOff, " + restarts(status) + "), "
                        + exit + logs + "; see kubectl logs --previous " + pod);
    }

    private static PodProblem oomKilled(String pod, ContainerStatus status) {
        return new PodProblem(
                "OOMKilled",
                pod,
                "container " + status.getName() + " was OOMKilled (ran out of memory, " + restarts(status)
                        + "): raise resources.limits.memory or lower the App's memory use");
    }

    private static String restarts(ContainerStatus status) {
        int n = status.getRestartCount() == null ? 0 : status.getRestartCount();
        return n == 1 ? "restarted once" : "restarted " + n + " times";
    }

    private static String orDefault(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
