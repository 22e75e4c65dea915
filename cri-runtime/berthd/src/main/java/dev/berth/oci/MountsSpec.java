package dev.berth.oci;

import dev.berth.cri.v1.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The spec's mounts, following containerd's CRI plugin: runc's usual kernel filesystems first, then the pod's
 * /etc/hosts, /etc/resolv.conf, /etc/hostname and /dev/shm, then the request's mounts. A request mount replaces a
 * pod file or default filesystem at the same destination (and a /dev mount replaces everything under /dev); pod
 * files and request mounts are ordered by depth so a parent is mounted before what is mounted inside it.
 */
final class MountsSpec {

    /** @param rootfsPropagation the linux.rootfsPropagation a request mount needs, or null for runc's default */
    record Plan(List<OciMount> mounts, String rootfsPropagation) {}

    Plan build(ContainerSpecRequest request, boolean privileged, boolean readonlyRootfs)
            throws InvalidContainerConfigException {
        List<Mount> podFiles = new ArrayList<>();
        addPodFile(podFiles, "/etc/hostname", request.hostnameFile(), readonlyRootfs);
        addPodFile(podFiles, "/etc/hosts", request.hostsFile(), readonlyRootfs);
        addPodFile(podFiles, "/etc/resolv.conf", request.resolvConf(), readonlyRootfs);
        addPodFile(podFiles, "/dev/shm", request.shmDir(), false);

        List<Mount> requested = request.config().getMountsList();
        Set<String> requestedPaths = new java.util.HashSet<>();
        for (Mount m : requested) {
            requestedPaths.add(clean(m.getContainerPath()));
        }
        List<Mount> binds = new ArrayList<>();
        for (Mount m : podFiles) {
            if (!requestedPaths.contains(m.getContainerPath())) {
                binds.add(m);
            }
        }
        binds.addAll(requested);

        List<OciMount> bindMounts = new ArrayList<>();
        String rootfsPropagation = null;
        for (Mount m : binds) {
            bindMounts.add(bind(m));
            if (m.getPropagation() == dev.berth.cri.v1.MountPropagation.PROPAGATION_BIDIRECTIONAL) {
                rootfsPropagation = "rshared";
            } else if (m.getPropagation() == dev.berth.cri.v1.MountPropagation.PROPAGATION_HOST_TO_CONTAINER
                    && rootfsPropagation == null) {
                rootfsPropagation = "rslave";
            }
        }
        bindMounts.sort(Comparator.comparingInt(OciMount::depth)); // stable: equal depths keep request order

        Set<String> overridden = bindMounts.stream().map(OciMount::destination).collect(Collectors.toSet());
        boolean devReplaced = overridden.contains("/dev");
        List<OciMount> mounts = new ArrayList<>();
        for (OciMount m : defaults(privileged)) {
            boolean underDev = m.destination().startsWith("/dev/");
            if (!overridden.contains(m.destination()) && !(devReplaced && underDev)) {
                mounts.add(m);
            }
        }
        mounts.addAll(bindMounts);
        return new Plan(List.copyOf(mounts), rootfsPropagation);
    }

    /** runc's and containerd's defaults; /sys and the cgroup tree are writable only for privileged containers. */
    static List<OciMount> defaults(boolean privileged) {
        String sysMode = privileged ? "rw" : "ro";
        return List.of(
                new OciMount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new OciMount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new OciMount(
                        "/dev/pts",
                        "devpts",
                        "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new OciMount(
                        "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new OciMount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new OciMount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode)),
                new OciMount(
                        "/sys/fs/cgroup",
                        "cgroup",
                        "cgroup",
                        List.of("nosuid", "noexec", "nodev", "relatime", sysMode)));
    }

    private static void addPodFile(List<Mount> into, String containerPath, Path hostPath, boolean readonly) {
        if (hostPath != null) {
            into.add(Mount.newBuilder()
                    .setContainerPath(containerPath)
                    .setHostPath(hostPath.toString())
                    .setReadonly(readonly)
                    .build());
        }
    }

    private static OciMount bind(Mount m) throws InvalidContainerConfigException {
        String destination = m.getContainerPath();
        if (!destination.startsWith("/")) {
            throw new InvalidContainerConfigException(
                    "mount container_path must be absolute, got \"" + destination + "\"");
        }
        if (m.hasImage() && !m.getImage().getImage().isEmpty()) {
            throw new InvalidContainerConfigException("image volume mounts are not supported (at " + destination + ")");
        }
        if (m.getUidMappingsCount() > 0 || m.getGidMappingsCount() > 0) {
            throw new InvalidContainerConfigException("id-mapped mounts are not supported (at " + destination + ")");
        }
        if (m.getHostPath().isEmpty() || !Files.exists(Path.of(m.getHostPath()))) {
            throw new InvalidContainerConfigException(
                    "mount source \"" + m.getHostPath() + "\" for " + destination + " does not exist on the node");
        }
        List<String> options = new ArrayList<>(List.of(
                "rbind",
                switch (m.getPropagation()) {
                    case PROPAGATION_HOST_TO_CONTAINER -> "rslave";
                    case PROPAGATION_BIDIRECTIONAL -> "rshared";
                    default -> "rprivate";
                },
                m.getReadonly() ? "ro" : "rw"));
        if (m.getRecursiveReadOnly()) {
            if (!m.getReadonly() || m.getPropagation() != dev.berth.cri.v1.MountPropagation.PROPAGATION_PRIVATE) {
                throw new InvalidContainerConfigException(
                        "recursive read-only mount at " + destination + " must be read-only with private propagation");
            }
            options.add("rro");
        }
        return new OciMount(clean(destination), "bind", m.getHostPath(), options);
    }

    static String clean(String path) {
        String normalized = Path.of(path).normalize().toString();
        return normalized.length() > 1 && normalized.endsWith("/")
                ? normalized.substring(0, normalized.length() - 1)
                : normalized;
    }
}
