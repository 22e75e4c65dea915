package dev.berth.container;

import dev.berth.oci.InvalidContainerConfigException;
import dev.berth.oci.ResolvedUser;
import dev.berth.oci.UserResolver;
import java.io.IOException;

/**
 * Who an exec's {@code USER[:GROUP]} is, in the container it runs in: names are looked up in the container's own
 * /etc/passwd and /etc/group as they are now (its writable layer included), read through its mounted root
 * filesystem with every symlink resolved inside it, never against the host's root.
 */
public final class ExecUsers {

    private final ContainerPaths paths;
    private final UserResolver users = new UserResolver();

    public ExecUsers(ContainerPaths paths) {
        this.paths = paths;
    }

    public ResolvedUser resolve(ContainerRecord container, String spec)
            throws InvalidContainerConfigException, IOException {
        return users.resolveExec(spec, paths.rootfs(container.id()));
    }
}
