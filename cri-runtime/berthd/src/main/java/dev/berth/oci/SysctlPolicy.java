package dev.berth.oci;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which pod sysctls a container may set: only those the kernel scopes to a namespace the pod owns (ipc: kernel.shm*,
 * kernel.msg*, kernel.sem, fs.mqueue.*; network: net.*). Anything else would change the whole node.
 */
final class SysctlPolicy {

    private SysctlPolicy() {}

    static Map<String, String> validate(Map<String, String> sysctls, boolean ownNetwork, boolean ownIpc)
            throws InvalidContainerConfigException {
        Map<String, String> accepted = new TreeMap<>();
        for (Map.Entry<String, String> e : sysctls.entrySet()) {
            String name = normalize(e.getKey());
            if (isIpc(name)) {
                if (!ownIpc) {
                    throw new InvalidContainerConfigException(
                            "sysctl " + name + " would change the node: the pod shares the host's IPC namespace");
                }
            } else if (name.startsWith("net.")) {
                if (!ownNetwork) {
                    throw new InvalidContainerConfigException(
                            "sysctl " + name + " would change the node: the pod uses the host's network namespace");
                }
            } else {
                throw new InvalidContainerConfigException(
                        "sysctl " + name + " is not namespaced; only kernel.shm*, kernel.msg*, kernel.sem, "
                                + "fs.mqueue.* and net.* may be set for a pod");
            }
            accepted.put(name, e.getValue());
        }
        return accepted;
    }

    private static boolean isIpc(String name) {
        return name.startsWith("kernel.shm")
                || name.startsWith("kernel.msg")
                || name.equals("kernel.sem")
                || name.startsWith("fs.mqueue.");
    }

    /** Kubernetes also accepts the slash form ("net/ipv4/ip_forward"). */
    private static String normalize(String name) {
        return name.indexOf('/') >= 0 ? name.replace('/', '.') : name;
    }
}
