package dev.berth.sandbox;

import dev.berth.store.Directories;
import dev.berth.sys.NamespaceCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Creates a pod's net, ipc and uts namespaces without any helper process: a short-lived platform
 * thread unshares them (the kernel ties them to that thread), sets the pod's host name, and bind-mounts
 * {@code /proc/thread-self/ns/<kind>} onto {@code <nsRoot>/<pod>/<kind>}; then the thread ends and the
 * mounts alone keep the namespaces alive until {@link #release}.
 */
public final class NamespacePinner implements PodNamespaces {

    private final NamespaceCalls calls;
    private final Path nsRoot;

    public NamespacePinner(NamespaceCalls calls, Path nsRoot) {
        this.calls = calls;
        this.nsRoot = nsRoot;
    }

    @Override
    public PinnedNamespaces pin(String podId, String hostname, Set<PodNamespace> kinds) throws IOException {
        Path podDir = nsRoot.resolve(podId);
        Directories.createPrivate(podDir);
        CompletableFuture<PinnedNamespaces> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("berth-ns-" + podId).unstarted(() -> {
            try {
                result.complete(pinOnThisThread(podId, podDir, hostname, kinds));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        try {
            // Not interruptible on purpose: the thread takes milliseconds, and leaving before it ends
            // could leak the mounts it is making.
            return result.join();
        } catch (CompletionException e) {
            release(podId);
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("pinning namespaces of pod " + podId + " failed", e.getCause());
        }
    }

    private PinnedNamespaces pinOnThisThread(String podId, Path podDir, String hostname, Set<PodNamespace> kinds)
            throws IOException {
        int flags = 0;
        for (PodNamespace kind : kinds) {
            flags |= kind.cloneFlag();
        }
        if (flags == 0) {
            return new PinnedNamespaces(podId, Map.of());
        }
        calls.unshare(flags);
        if (kinds.contains(PodNamespace.UTS) && hostname != null && !hostname.isEmpty()) {
            calls.setHostname(hostname);
        }
        Map<PodNamespace, Path> paths = new EnumMap<>(PodNamespace.class);
        for (PodNamespace kind : kinds) {
            Path target = podDir.resolve(kind.procName());
            Files.createFile(target);
            calls.bindMount(Path.of("/proc/thread-self/ns", kind.procName()), target);
            paths.put(kind, target);
        }
        return new PinnedNamespaces(podId, paths);
    }

    @Override
    public void release(String podId) throws IOException {
        Path podDir = nsRoot.resolve(podId);
        if (!Files.isDirectory(podDir)) {
            return;
        }
        for (PodNamespace kind : PodNamespace.values()) {
            Path file = podDir.resolve(kind.procName());
            if (Files.exists(file)) {
                calls.unmount(file);
            }
        }
        Directories.deleteRecursively(podDir);
    }
}
