package dev.berth.sys;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Mounts in memory: what is mounted now, by target; nothing touches the kernel. */
public final class FakeMounts implements Mounts {

    public final Set<Path> mounted = ConcurrentHashMap.newKeySet();

    @Override
    public void mountOverlay(Path target, OverlayDirs dirs) {
        mounted.add(target);
    }

    @Override
    public void mountTmpfs(Path target, long sizeBytes) {
        mounted.add(target);
    }

    @Override
    public void unmount(Path target) throws IOException {
        mounted.remove(target);
    }
}
