package dev.berth.oci;

import dev.berth.cri.v1.LinuxContainerSecurityContext;
import java.util.List;

/**
 * /proc and /sys paths hidden from, or read-only to, a container (containerd's defaults). Kubelet sends its own
 * lists; an empty list cannot be told apart from an unset one on the wire, so, as in containerd, empty means
 * "defaults". Privileged containers get neither.
 */
final class SecurityPaths {

    static final List<String> DEFAULT_MASKED = List.of(
            "/proc/acpi",
            "/proc/asound",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/sys/firmware",
            "/sys/devices/virtual/powercap",
            "/proc/scsi");

    static final List<String> DEFAULT_READONLY =
            List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private SecurityPaths() {}

    static List<String> masked(LinuxContainerSecurityContext sc) {
        if (sc.getPrivileged()) {
            return List.of();
        }
        return sc.getMaskedPathsCount() > 0 ? List.copyOf(sc.getMaskedPathsList()) : DEFAULT_MASKED;
    }

    static List<String> readonly(LinuxContainerSecurityContext sc) {
        if (sc.getPrivileged()) {
            return List.of();
        }
        return sc.getReadonlyPathsCount() > 0 ? List.copyOf(sc.getReadonlyPathsList()) : DEFAULT_READONLY;
    }
}
