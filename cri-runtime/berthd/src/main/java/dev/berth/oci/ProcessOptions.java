package dev.berth.oci;

import java.util.List;

/**
 * What an exec asks for beyond its argv (berth.v1 Exec, docker's exec -u/-w/-e): each left unset keeps the
 * container's own.
 *
 * @param user who the process runs as, its names already resolved in the container; null: the container's user
 * @param workdir an absolute path in the container; null: the container's working directory
 * @param env KEY=value entries set on top of the container's environment
 */
public record ProcessOptions(ResolvedUser user, String workdir, List<String> env) {

    /** A CRI exec's: the container's process settings as they are. */
    public static final ProcessOptions NONE = new ProcessOptions(null, null, List.of());

    public ProcessOptions {
        env = List.copyOf(env);
        if (workdir != null && !workdir.startsWith("/")) {
            throw new IllegalArgumentException("the working directory must be an absolute path");
        }
        for (String entry : env) {
            if (entry.indexOf('=') <= 0) {
                throw new IllegalArgumentException("an environment entry must be KEY=value");
            }
        }
    }

    public boolean isEmpty() {
        return user == null && workdir == null && env.isEmpty();
    }
}
