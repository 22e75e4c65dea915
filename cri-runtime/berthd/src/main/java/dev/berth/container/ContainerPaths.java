package dev.berth.container;

import java.nio.file.Path;

/**
 * Where a container's pieces live. The bundle (config.json, the rootfs mount point, conmon's files) is on
 * the state tmpfs; the writable layer is under the root dir, on the same disk as the image snapshots.
 */
public record ContainerPaths(Path stateDir, Path rootDir) {

    public Path bundles() {
        return stateDir.resolve("containers");
    }

    public Path bundle(String id) {
        return bundles().resolve(id);
    }

    public Path rootfs(String id) {
        return bundle(id).resolve("rootfs");
    }

    /** conmon's persist dir: its "oom" marker lands here. */
    public Path persist(String id) {
        return bundle(id).resolve("persist");
    }

    public Path writableLayers() {
        return rootDir.resolve("containers-rw");
    }

    public Path writable(String id) {
        return writableLayers().resolve(id);
    }

    public Path upper(String id) {
        return writable(id).resolve("upper");
    }

    public Path work(String id) {
        return writable(id).resolve("work");
    }

    public Path exits() {
        return stateDir.resolve("exits");
    }

    public Path sockets() {
        return stateDir.resolve("sockets");
    }

    /** Interactive execs' pid files, runtime logs and console sockets, a 0700 directory each. */
    public Path execScratch() {
        return stateDir.resolve("exec");
    }

    public Path records() {
        return rootDir.resolve("containers");
    }
}
