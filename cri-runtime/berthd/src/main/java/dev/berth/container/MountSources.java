package dev.berth.container;

import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.Mount;
import dev.berth.oci.InvalidContainerConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The host side of a container's bind mounts. A missing host path is made as a directory, as containerd and
 * CRI-O do (kubelet relies on it for hostPath volumes without a type); a relative one is refused, since it
 * would be resolved against berthd's own working directory.
 */
final class MountSources {

    private MountSources() {}

    static void prepare(ContainerConfig config) throws IOException, InvalidContainerConfigException {
        for (Mount mount : config.getMountsList()) {
            String hostPath = mount.getHostPath();
            if (hostPath.isEmpty()
                    || (mount.hasImage() && !mount.getImage().getImage().isEmpty())) {
                continue; // the spec builder names what is wrong with these
            }
            Path source = Path.of(hostPath);
            if (!source.isAbsolute()) {
                throw new InvalidContainerConfigException(
                        "mount host_path \"" + hostPath + "\" for " + mount.getContainerPath() + " must be absolute");
            }
            // a dangling symlink is left for the spec builder to report, never created through
            if (!Files.exists(source) && !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(
                        source, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        }
    }
}
