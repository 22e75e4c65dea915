package dev.berth.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Linux capability names by bit number, and the hex masks of /proc/PID/status. */
final class LinuxCapabilities {

    /** Index = capability number (linux/capability.h). */
    static final List<String> NAMES = List.of(
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER",
            "CAP_FSETID",
            "CAP_KILL",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST",
            "CAP_NET_ADMIN",
            "CAP_NET_RAW",
            "CAP_IPC_LOCK",
            "CAP_IPC_OWNER",
            "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO",
            "CAP_SYS_CHROOT",
            "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN",
            "CAP_SYS_BOOT",
            "CAP_SYS_NICE",
            "CAP_SYS_RESOURCE",
            "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG",
            "CAP_MKNOD",
            "CAP_LEASE",
            "CAP_AUDIT_WRITE",
            "CAP_AUDIT_CONTROL",
            "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE",
            "CAP_MAC_ADMIN",
            "CAP_SYSLOG",
            "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ",
            "CAP_PERFMON",
            "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    static final int SYS_RESOURCE = NAMES.indexOf("CAP_SYS_RESOURCE");

    private LinuxCapabilities() {}

    /** "net_admin", "NET_ADMIN" and "CAP_NET_ADMIN" all name CAP_NET_ADMIN; empty for an unknown name. */
    static Optional<String> canonical(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        String full = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
        return NAMES.contains(full) ? Optional.of(full) : Optional.empty();
    }

    /** The known capabilities set in a mask such as CapEff's {@code 000001fffeffffff}, in bit order. */
    static List<String> fromMask(long mask) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < NAMES.size(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                names.add(NAMES.get(bit));
            }
        }
        return List.copyOf(names);
    }

    static long toMask(List<String> names) {
        long mask = 0;
        for (String name : names) {
            int bit = NAMES.indexOf(name);
            if (bit >= 0) {
                mask |= 1L << bit;
            }
        }
        return mask;
    }
}
