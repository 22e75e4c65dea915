package dev.berth.daemon;

import dev.berth.container.ContainerPaths;
import dev.berth.network.CniSettings;
import dev.berth.process.CommandRunner;
import dev.berth.store.AtomicFiles;
import dev.berth.store.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * berthd's root and state trees, closed to the host's other users (containerd's CVE-2021-41103 class: a
 * world-readable env, or a setuid file run straight out of a snapshot). New dirs are made 0700 where they are
 * made ({@link Directories#createPrivate}); this tightens a tree an older berthd left open, once at start-up,
 * down to the level that protects what is below (never walking into snapshots or writable layers).
 *
 * <p>Left as they are on purpose: each snapshot's {@code fs} and each container's {@code upper} (their mode is
 * the container's "/"), the pod files bind-mounted into containers (hosts, resolv.conf: 0644 so a non-root
 * container reads them; the 0700 dir above protects them on the host) and the runtime's own tree below its root.
 */
final class DaemonDirs {

    private static final Set<PosixFilePermission> PRIVATE_FILE = AtomicFiles.PRIVATE.value();

    private final Path root;
    private final Path state;
    private final ContainerPaths paths;
    private final CniSettings cni;

    DaemonDirs(Path root, Path state) {
        this.root = root;
        this.state = state;
        this.paths = new ContainerPaths(state, root);
        this.cni = CniSettings.defaults(state);
    }

    /** Where {@link CommandRunner} keeps the output of running commands. */
    static Path commandScratch(Path state) {
        return state.resolve("tmp");
    }

    /**
     * Creates the two trees. The state dir is 0711: the CRI socket in it stays reachable (0660) for its group,
     * while nobody else can list it and everything below is 0700. The root dir holds nothing anyone else needs.
     */
    void create() throws IOException {
        Directories.createPrivate(root);
        Directories.restrict(root, Directories.PRIVATE);
        Directories.createPrivate(state);
        Directories.restrict(state, Directories.TRAVERSABLE);
    }

    /** Tightens what an earlier berthd made with looser modes. */
    void tighten() throws IOException {
        Path content = root.resolve("content");
        privateDirs(content, content.resolve("ingest"), content.resolve("blobs"));
        forEachChild(content.resolve("blobs"), algorithm -> {
            Directories.restrict(algorithm, Directories.PRIVATE);
            forEachChild(algorithm, blob -> Directories.restrict(blob, PRIVATE_FILE));
        });
        Path snapshots = root.resolve("snapshots");
        privateDirs(snapshots);
        forEachChild(snapshots, snapshot -> Directories.restrict(snapshot, Directories.PRIVATE));
        for (Path records : List.of(root.resolve("images"), root.resolve("sandboxes"), paths.records())) {
            privateDirs(records);
            forEachChild(records, record -> Directories.restrict(record, PRIVATE_FILE));
        }
        Path writable = paths.writableLayers();
        privateDirs(writable);
        forEachChild(writable, layer -> {
            Directories.restrict(layer, Directories.PRIVATE);
            Directories.restrict(layer.resolve("work"), Directories.PRIVATE);
        });
        privateDirs(paths.bundles());
        forEachChild(paths.bundles(), bundle -> {
            Directories.restrict(bundle, Directories.PRIVATE);
            Directories.restrict(bundle.resolve("config.json"), PRIVATE_FILE);
        });
        privateDirs(
                paths.exits(),
                paths.sockets(),
                paths.execScratch(),
                commandScratch(state),
                state.resolve("ns"),
                state.resolve("sandboxes"),
                cni.stateDir(),
                state.resolve("runc"),
                state.resolve("runtimes"));
        forEachChild(state.resolve("sandboxes"), pod -> Directories.restrict(pod, Directories.PRIVATE));
        forEachChild(state.resolve("ns"), pod -> Directories.restrict(pod, Directories.PRIVATE));
    }

    /**
     * Deletes the temporaries of commands and execs a killed berthd left behind; only while this daemon holds the
     * state dir's lock and before it runs anything. Content ingests and half-unpacked snapshots are swept by their
     * stores, records' half-written temporaries by the record stores as they load.
     */
    void sweepTemporaries() throws IOException {
        Directories.deleteRecursively(commandScratch(state));
        Directories.deleteRecursively(paths.execScratch());
        // atomic writes whose rename never came, where no store's own load sweeps them
        forEachChild(root.resolve("content/blobs"), AtomicFiles::sweepTemporaries);
        forEachChild(paths.bundles(), AtomicFiles::sweepTemporaries);
        AtomicFiles.sweepTemporaries(cni.stateDir());
        AtomicFiles.sweepTemporaries(cni.resultCacheDir());
    }

    private static void privateDirs(Path... dirs) throws IOException {
        for (Path dir : dirs) {
            Directories.restrict(dir, Directories.PRIVATE);
        }
    }

    private interface Step {
        void apply(Path child) throws IOException;
    }

    private static void forEachChild(Path dir, Step step) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                step.apply(child);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
