package dev.berth.oci;

import java.util.List;

/** The uid, primary gid and supplementary gids a container process runs with. */
public record ResolvedUser(long uid, long gid, List<Long> additionalGids) {

    public ResolvedUser {
        additionalGids = List.copyOf(additionalGids);
    }
}
