package dev.berth.sandbox;

import java.nio.file.Path;

/**
 * What a container created in a pod needs of it: its runtime, cgroup, namespaces and shared files.
 * A namespace path is null where the pod shares the node's; {@code shm} is null without a pod /dev/shm.
 */
public record ReadyPod(
        String id,
        String runtimeHandler,
        String cgroupPath,
        Path netns,
        Path ipcns,
        Path utsns,
        Path pidns,
        Path hosts,
        Path resolvConf,
        Path hostname,
        Path shm) {}
