package dev.berth.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Walks and removes one cgroup directory with its descendants inside one hierarchy. In cgroupfs only the
 * sub-directories are cgroups; the files are the kernel's control files and go away with rmdir.
 */
final class CgroupTree {

    static final Duration BUSY_RETRY = Duration.ofSeconds(1);
    static final long RETRY_PAUSE_MILLIS = 10;

    private CgroupTree() {}

    /** Every cgroup directory from {@code top} down, children before their parent; empty if {@code top} is missing. */
    static List<Path> childrenFirst(Path top) throws IOException {
        List<Path> result = new ArrayList<>();
        collect(top, result);
        return result;
    }

    private static void collect(Path dir, List<Path> result) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> children;
        try (Stream<Path> entries = Files.list(dir)) {
            children = entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path child : children) {
            collect(child, result);
        }
        result.add(dir);
    }

    /** No child cgroup and no process; a missing directory is empty. */
    static boolean isEmpty(Path dir) throws IOException {
        return childrenFirst(dir).size() <= 1 && CgroupFiles.readProcs(dir).isEmpty();
    }

    /**
     * rmdir of {@code dir} alone, no retry: false when the kernel refuses it (a child cgroup or a process
     * appeared after {@link #isEmpty}); a missing directory is true.
     */
    static boolean removeAlone(Path dir) throws IOException {
        try {
            Files.delete(dir);
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (FileSystemException e) {
            if ("Device or resource busy".equals(e.getReason())) {
                return false;
            }
            throw new IOException("cannot remove cgroup " + dir + ": " + reason(e), e);
        }
    }

    /** The processes in {@code top} and all its descendants. */
    static Set<Integer> pidsInSubtree(Path top) throws IOException {
        Set<Integer> pids = new LinkedHashSet<>();
        for (Path dir : childrenFirst(top)) {
            pids.addAll(CgroupFiles.readProcs(dir));
        }
        return pids;
    }

    /**
     * rmdir of {@code top} and its descendants. The kernel answers EBUSY for a moment after the last process
     * of a cgroup has exited (it is still being torn down), hence the retry until {@code deadline}
     * ({@link System#nanoTime()}), one deadline for all hierarchies of a removal.
     */
    static void remove(Path top, String cgroupPath, long deadline) throws IOException {
        for (Path dir : childrenFirst(top)) {
            removeOne(dir, cgroupPath, deadline);
        }
    }

    private static void removeOne(Path dir, String cgroupPath, long deadline) throws IOException {
        while (true) {
            try {
                Files.delete(dir);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (FileSystemException e) {
                if (System.nanoTime() > deadline) {
                    List<Integer> pids = CgroupFiles.readProcs(dir);
                    throw new IOException(
                            "cannot remove cgroup " + cgroupPath + " (" + dir + "): " + reason(e)
                                    + (pids.isEmpty() ? "" : "; processes still in it: " + pids),
                            e);
                }
                pause();
            }
        }
    }

    private static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    static void pause() throws IOException {
        pause(RETRY_PAUSE_MILLIS);
    }

    static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting on a cgroup", e);
        }
    }
}
