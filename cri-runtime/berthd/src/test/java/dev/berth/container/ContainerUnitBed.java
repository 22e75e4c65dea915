package dev.berth.container;

import dev.berth.cgroup.FakeCgroups;
import dev.berth.image.Digest;
import dev.berth.image.manifest.ImageConfig;
import dev.berth.imagestore.ImageLookup;
import dev.berth.imagestore.ImageRecord;
import dev.berth.imagestore.LayerRecord;
import dev.berth.imagestore.Leases;
import dev.berth.oci.OciSpecBuilder;
import dev.berth.oci.SeccompWhenUnset;
import dev.berth.runtime.ExitFiles;
import dev.berth.runtime.FakeMonitor;
import dev.berth.runtime.FakeRuntime;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.sandbox.PodEvents;
import dev.berth.sandbox.ReadyPod;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.store.IdLocks;
import dev.berth.store.Json;
import dev.berth.store.RecordIds;
import dev.berth.store.RecordStore;
import dev.berth.sys.FakeMounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The container feature over in-memory fakes (runtime, conmon, mounts, cgroups) and stores in a temp dir:
 * CreateContainer through RemoveContainer without root, runc or conmon.
 */
final class ContainerUnitBed {

    static final String CHAIN_ID = "sha256:" + "a".repeat(64);

    final Path dir;
    final Json json = new Json();
    final ContainerPaths paths;
    final RecordStore<ContainerRecord> store;
    final FakeMounts mounts = new FakeMounts();
    final FakeCgroups cgroups = new FakeCgroups();
    final FakeMonitor monitor = new FakeMonitor();
    final FakeRuntime runtime;
    final Leases leases = new Leases();
    final List<String> events = new CopyOnWriteArrayList<>();
    final ReadyPod pod;
    final ContainerCreator creator;
    final ContainerService service;
    /** The image's config; a test may change the stop signal before creating. */
    volatile String imageStopSignal = "";

    ContainerUnitBed(Path dir) throws IOException {
        this.dir = dir;
        paths = new ContainerPaths(dir.resolve("state"), dir.resolve("root"));
        store = new RecordStore<>(paths.records(), json, ContainerRecordFormat.format(), ContainerRecord::id);
        SnapshotStore snapshots = new SnapshotStore(dir.resolve("snapshots"), json);
        Files.createDirectories(snapshots.fsPath(Digest.parse(CHAIN_ID)));
        ContainerRootfs rootfs = new ContainerRootfs(paths, snapshots, mounts);
        runtime = new FakeRuntime(dir.resolve("runc"), paths.exits());
        RuntimeHandlers runtimes = new RuntimeHandlers(Map.of("", runtime));
        ContainerLeases containerLeases = new ContainerLeases(leases);
        ContainerTeardown teardown =
                new ContainerTeardown(store, runtimes, cgroups, rootfs, paths, containerLeases, monitor);
        Path podDir = Files.createDirectories(dir.resolve("pod"));
        for (String file : List.of("hosts", "resolv.conf", "hostname")) {
            Files.writeString(podDir.resolve(file), "", StandardCharsets.UTF_8);
        }
        pod = new ReadyPod(
                "pod1",
                "",
                "/berth/pod1",
                null,
                null,
                null,
                null,
                podDir.resolve("hosts"),
                podDir.resolve("resolv.conf"),
                podDir.resolve("hostname"),
                null);
        PodEvents recorder = new PodEvents() {
            @Override
            public void created(String containerId, String sandboxId) {
                events.add("created " + containerId);
            }

            @Override
            public void stopped(String containerId, String sandboxId) {
                events.add("stopped " + containerId);
            }

            @Override
            public void deleted(String containerId, String sandboxId) {
                events.add("deleted " + containerId);
            }
        };
        OciSpecBuilder specs = OciSpecBuilder.forHost(SeccompWhenUnset.Unconfined);
        creator = new ContainerCreator(
                store,
                sandboxId -> pod,
                new OneImage(),
                containerLeases,
                rootfs,
                paths,
                specs,
                runtimes,
                monitor,
                teardown,
                new RecordIds(),
                new IdLocks());
        ContainerObserver observer =
                new ContainerObserver(store, new ExitFiles(paths.exits()), paths, cgroups, recorder);
        service = new ContainerService(store, creator, observer, teardown, runtimes, specs, paths, recorder, cgroups);
    }

    /** True while any lease holds the image's one layer. */
    boolean layerLeased() {
        boolean[] leased = new boolean[1];
        leases.whileExclusive(isLeased -> leased[0] = isLeased.test(CHAIN_ID));
        return leased[0];
    }

    /** busybox with one layer, and the stop signal the test chose. */
    private final class OneImage implements ImageLookup {

        private final ImageRecord image = new ImageRecord(
                "sha256:" + "b".repeat(64),
                List.of("busybox:latest"),
                List.of("busybox@sha256:" + "c".repeat(64)),
                "sha256:" + "c".repeat(64),
                "application/vnd.oci.image.manifest.v1+json",
                "sha256:" + "d".repeat(64),
                List.of(new LayerRecord(
                        "sha256:" + "e".repeat(64),
                        "application/vnd.oci.image.layer.v1.tar+gzip",
                        1,
                        "sha256:" + "a".repeat(64),
                        CHAIN_ID)),
                1,
                "linux/amd64",
                1);

        @Override
        public Optional<ImageRecord> find(String name) {
            return name.startsWith("busybox") ? Optional.of(image) : Optional.empty();
        }

        @Override
        public ImageConfig config(ImageRecord record) {
            String stop = imageStopSignal.isEmpty() ? "" : ",\"StopSignal\":\"" + imageStopSignal + "\"";
            return ImageConfig.parse(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]" + stop
                            + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "a".repeat(64) + "\"]}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
