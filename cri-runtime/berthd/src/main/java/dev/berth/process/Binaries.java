package dev.berth.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the programs berthd runs (runc, conmon, catatonit, unshare) on PATH and the usual system dirs. */
public final class Binaries {

    private Binaries() {}

    public static Path find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of(
                "/usr/local/sbin",
                "/usr/local/bin",
                "/usr/sbin",
                "/usr/bin",
                "/sbin",
                "/bin",
                "/usr/libexec/podman",
                "/usr/libexec/crio"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        // reported when first used, by the wrapper that runs it
        return Path.of("/usr/bin", name);
    }
}
