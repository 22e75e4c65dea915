package dev.berth.operator.app;

/**
 * Why one pod of an App is not ready, in words its developer acts on.
 *
 * @param reason a condition reason: ImagePullFailed, CrashLoopBackOff, OOMKilled, Unschedulable,
 *               CreateContainerConfigError, ContainerFailed
 * @param pod    the pod's name
 * @param detail the explanation, without the pod's name
 */
public record PodProblem(String reason, String pod, String detail) {}
