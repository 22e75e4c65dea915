package dev.berth.sys;

import java.nio.file.Path;
import java.util.List;

/**
 * What an overlay root filesystem is made of.
 *
 * @param lowers the read-only layers, top first (overlay's lowerdir order)
 * @param upper the writable layer
 * @param work overlay's work dir, on the upper's file system
 * @param linkDir a dir of the mount's own where short links to the lowers may be made when their paths do not fit
 *     in one mount(2) option string and the kernel lacks {@code lowerdir+}
 */
public record OverlayDirs(List<Path> lowers, Path upper, Path work, Path linkDir) {

    public OverlayDirs {
        if (lowers.isEmpty()) {
            throw new IllegalArgumentException("overlay needs at least one lower dir");
        }
        lowers = List.copyOf(lowers);
    }

    /** The classic mount(2) option string: {@code lowerdir=a:b,upperdir=u,workdir=w}. */
    String options(List<String> lowerNames) {
        return "lowerdir=" + String.join(":", lowerNames) + ",upperdir=" + upper + ",workdir=" + work;
    }
}
