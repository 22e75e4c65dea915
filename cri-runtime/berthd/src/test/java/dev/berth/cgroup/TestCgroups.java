package dev.berth.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: busybox processes to put into cgroups, and a teardown that does not trust the code under
 * test (raw thaw, SIGKILL, rmdir), so a failing test still leaves no cgroup or process behind.
 */
final class TestCgroups implements AutoCloseable {

    private final Collection<Path> roots;
    private final String top;
    private final List<Process> processes = new ArrayList<>();

    /** @param roots the hierarchy mount points (or fake roots) under which {@code top} gets created */
    TestCgroups(Collection<Path> roots) {
        this.roots = List.copyOf(roots);
        this.top = "/berth-test-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    String top() {
        return top;
    }

    String path(String relative) {
        return top + "/" + relative;
    }

    /** A busybox shell that waits for one line on stdin before running {@code script}, so it can be moved first. */
    Process gatedShell(String script) throws IOException {
        Process process = new ProcessBuilder("/bin/busybox", "sh", "-c", "read go; " + script)
                .redirectErrorStream(true)
                .start();
        processes.add(process);
        return process;
    }

    static void release(Process process) throws IOException {
        process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Reads the process's output until a line equals {@code marker}. */
    static void awaitLine(Process process, String marker) throws IOException {
        var reader = process.inputReader();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.strip().equals(marker)) {
                return;
            }
        }
        throw new IOException("process ended before printing " + marker);
    }

    @Override
    public void close() throws Exception {
        for (Path root : roots) {
            Path freezer = root.resolve(top.substring(1)).resolve("freezer.state");
            if (Files.exists(freezer)) {
                Files.writeString(freezer, "THAWED");
            }
        }
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        // grandchildren (a shell's background jobs) are not ours to wait for: kill them by cgroup
        for (Path root : roots) {
            for (int pid : CgroupTree.pidsInSubtree(root.resolve(top.substring(1)))) {
                ProcessHandle.of(pid).ifPresent(handle -> {
                    handle.destroyForcibly();
                    handle.onExit()
                            .orTimeout(5, TimeUnit.SECONDS)
                            .exceptionally(e -> handle)
                            .join();
                });
            }
        }
        for (Path root : roots) {
            Path dir = root.resolve(top.substring(1));
            for (Path cgroup : CgroupTree.childrenFirst(dir)) {
                for (int attempt = 0; Files.exists(cgroup); attempt++) {
                    try {
                        Files.delete(cgroup);
                    } catch (IOException e) {
                        if (attempt > 100) {
                            throw e;
                        }
                        Thread.sleep(10);
                    }
                }
            }
        }
    }
}
