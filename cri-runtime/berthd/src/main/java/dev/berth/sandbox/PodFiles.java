package dev.berth.sandbox;

import dev.berth.cri.v1.DNSConfig;
import dev.berth.store.Directories;
import dev.berth.sys.Mounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files every container of a pod shares: {@code /etc/hostname}, {@code /etc/hosts},
 * {@code /etc/resolv.conf} and the pod-wide {@code /dev/shm} tmpfs, under {@code <state>/sandboxes/<id>}.
 */
public final class PodFiles {

    /** Docker's and containerd's /dev/shm size. */
    static final long SHM_BYTES = 64L * 1024 * 1024;

    private final Path sandboxesDir;
    private final Path hostResolvConf;
    private final Mounts mounts;

    public PodFiles(Path sandboxesDir, Path hostResolvConf, Mounts mounts) {
        this.sandboxesDir = sandboxesDir;
        this.hostResolvConf = hostResolvConf;
        this.mounts = mounts;
    }

    public Path dir(String podId) {
        return sandboxesDir.resolve(podId);
    }

    public Path hostname(String podId) {
        return dir(podId).resolve("hostname");
    }

    public Path hosts(String podId) {
        return dir(podId).resolve("hosts");
    }

    public Path resolvConf(String podId) {
        return dir(podId).resolve("resolv.conf");
    }

    public Path shm(String podId) {
        return dir(podId).resolve("shm");
    }

    /**
     * Writes the pod's files. With the node's network the node's own hosts and resolv.conf are copied, as
     * kubelet expects for hostNetwork pods.
     */
    public void write(String podId, String hostname, DNSConfig dns, boolean hostNetwork, boolean privateIpc)
            throws IOException {
        Path dir = dir(podId);
        // private on the host; the files keep 0644, as a non-root container reads them through its bind mounts
        Directories.createPrivate(dir);
        Files.writeString(hostname(podId), hostname + "\n", StandardCharsets.UTF_8);
        Path etcHosts = Path.of("/etc/hosts");
        if (hostNetwork && Files.isReadable(etcHosts)) {
            Files.copy(etcHosts, hosts(podId));
        } else {
            Files.writeString(hosts(podId), """
                    127.0.0.1\tlocalhost
                    ::1\tlocalhost ip6-localhost ip6-loopback
                    fe00::0\tip6-localnet
                    ff00::0\tip6-mcastprefix
                    ff02::1\tip6-allnodes
                    ff02::2\tip6-allrouters
                    """, StandardCharsets.UTF_8);
        }
        writeResolvConf(podId, dns);
        if (privateIpc) {
            Directories.createPrivate(shm(podId));
            mounts.mountTmpfs(shm(podId), SHM_BYTES);
        }
    }

    /**
     * kubelet sends the DNS config it wants (ClusterFirst, Default, None); an empty one means the node's
     * resolv.conf, as containerd does.
     */
    private void writeResolvConf(String podId, DNSConfig dns) throws IOException {
        if (dns == null || (dns.getServersCount() == 0 && dns.getSearchesCount() == 0 && dns.getOptionsCount() == 0)) {
            if (Files.isReadable(hostResolvConf)) {
                Files.copy(hostResolvConf, resolvConf(podId));
            } else {
                Files.writeString(resolvConf(podId), "", StandardCharsets.UTF_8);
            }
            return;
        }
        StringBuilder text = new StringBuilder();
        if (dns.getSearchesCount() > 0) {
            text.append("search ")
                    .append(String.join(" ", dns.getSearchesList()))
                    .append('\n');
        }
        for (String server : dns.getServersList()) {
            text.append("nameserver ").append(server).append('\n');
        }
        if (dns.getOptionsCount() > 0) {
            text.append("options ")
                    .append(String.join(" ", dns.getOptionsList()))
                    .append('\n');
        }
        Files.writeString(resolvConf(podId), text.toString(), StandardCharsets.UTF_8);
    }

    /** Unmounts the shm tmpfs and deletes the files; removing twice is fine. */
    public void remove(String podId) throws IOException {
        Path shm = shm(podId);
        if (Files.exists(shm)) {
            mounts.unmount(shm);
        }
        Directories.deleteRecursively(dir(podId));
    }

    public void unmountShm(String podId) throws IOException {
        if (Files.exists(shm(podId))) {
            mounts.unmount(shm(podId));
        }
    }
}
