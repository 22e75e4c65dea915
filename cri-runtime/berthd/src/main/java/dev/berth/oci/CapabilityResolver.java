package dev.berth.oci;

import dev.berth.cri.v1.Capability;
import dev.berth.cri.v1.LinuxContainerSecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A container's capability set, as containerd 1.6/1.7 computes it: its default set, or every capability berthd
 * itself holds for a privileged container or an "ALL" in add; then "ALL" in drop empties it; then single adds and
 * drops. The same set goes into bounding, effective and permitted for every user, root or not (containerd 1.7 does
 * not clear effective for non-root users); inheritable and ambient stay empty (CVE-2022-24769).
 */
final class CapabilityResolver {

    static final List<String> DEFAULT = List.of(
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_FSETID",
            "CAP_FOWNER",
            "CAP_MKNOD",
            "CAP_NET_RAW",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SETFCAP",
            "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT",
            "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private final List<String> available;

    /** @param available what berthd may hand out: its own effective set (runc cannot grant more) */
    CapabilityResolver(List<String> available) {
        this.available = List.copyOf(available);
    }

    List<String> resolve(LinuxContainerSecurityContext sc) throws InvalidContainerConfigException {
        if (sc.getPrivileged()) {
            return available;
        }
        Set<String> caps = new LinkedHashSet<>(DEFAULT);
        caps.retainAll(available);
        Capability request = sc.getCapabilities();
        if (containsAll(request.getAddCapabilitiesList())) {
            caps.addAll(available);
        }
        if (containsAll(request.getDropCapabilitiesList())) {
            caps.clear();
        }
        for (String name : request.getAddCapabilitiesList()) {
            if (!isAll(name)) {
                String cap = known(name);
                if (!available.contains(cap)) {
                    throw new InvalidContainerConfigException(
                            "capability " + cap + " cannot be added: berthd does not hold it on this host");
                }
                caps.add(cap);
            }
        }
        for (String name : request.getDropCapabilitiesList()) {
            if (!isAll(name)) {
                caps.remove(known(name));
            }
        }
        return List.copyOf(new ArrayList<>(caps));
    }

    private static String known(String name) throws InvalidContainerConfigException {
        return LinuxCapabilities.canonical(name)
                .orElseThrow(() -> new InvalidContainerConfigException("unknown capability \"" + name + "\""));
    }

    private static boolean containsAll(List<String> names) {
        return names.stream().anyMatch(CapabilityResolver::isAll);
    }

    private static boolean isAll(String name) {
        return name.strip().equalsIgnoreCase("ALL") || name.strip().equalsIgnoreCase("CAP_ALL");
    }
}
