package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cgroup.FakeCgroups;
import dev.berth.cri.v1.LinuxPodSandboxConfig;
import dev.berth.cri.v1.LinuxSandboxSecurityContext;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.cri.v1.PodSandboxMetadata;
import dev.berth.network.FakePodNetwork;
import dev.berth.runtime.FakeRuntime;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.store.ConflictException;
import dev.berth.store.IdLocks;
import dev.berth.store.Json;
import dev.berth.store.RecordIds;
import dev.berth.store.RecordStore;
import dev.berth.sys.FakeMounts;
import dev.berth.sys.NamespaceCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RunPodSandbox, StopPodSandbox and RemovePodSandbox over fakes: what is made, and what a failure undoes. */
class SandboxServiceTest {

    @TempDir
    Path dir;

    private final FakeCgroups cgroups = new FakeCgroups();
    private final FakePodNetwork network = new FakePodNetwork();
    private final FakeMounts mounts = new FakeMounts();
    private final FakeNamespaces namespaces = new FakeNamespaces();
    private final FakeContainers containers = new FakeContainers();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private RecordStore<SandboxRecord> store;
    private PodFiles files;
    private SandboxService sandboxes;

    @BeforeEach
    void setUp() throws IOException {
        store = new RecordStore<>(
                dir.resolve("sandboxes"), new Json(), SandboxRecordFormat.format(), SandboxRecord::id);
        Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.1\n");
        files = new PodFiles(dir.resolve("pods"), resolvConf, mounts);
        PidNamespaceHolder pidHolder = new PidNamespaceHolder(
                Path.of("/nonexistent/unshare"), Path.of("/nonexistent/catatonit"), new NamespaceCalls());
        RuntimeHandlers runtimes =
                new RuntimeHandlers(Map.of("", new FakeRuntime(dir.resolve("runc"), dir.resolve("exits"))));
        PodEvents recorder = new PodEvents() {
            @Override
            public void started(String containerId, String sandboxId) {
                events.add("started " + sandboxId);
            }

            @Override
            public void podDeleted(SandboxRecord removed) {
                events.add("deleted " + removed.id());
            }
        };
        sandboxes = new SandboxService(
                store,
                namespaces,
                pidHolder,
                cgroups,
                network,
                files,
                runtimes,
                containers,
                new SandboxTeardown(network, namespaces, pidHolder, files),
                new RecordIds(),
                dir.resolve("ns"),
                new IdLocks(),
                recorder);
    }

    private static PodSandboxConfig config(String name) {
        return config(name, NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER));
    }

    /** A pod-wide PID namespace needs catatonit, so these pods use a PID namespace per container. */
    private static PodSandboxConfig config(String name, NamespaceOption.Builder namespaces) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(name)
                        .setNamespace("default")
                        .setUid("uid-" + name))
                .setHostname(name)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setSecurityContext(
                                LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces)))
                .build();
    }

    @Test
    void runMakesNamespacesCgroupFilesAndNetwork() throws IOException, ConflictException {
        SandboxRecord pod = sandboxes.run(config("web"), "");

        assertThat(pod.state()).isEqualTo(SandboxState.READY);
        assertThat(pod.status().ip()).isEqualTo("10.88.0.2");
        assertThat(namespaces.pinned).containsExactly(pod.id());
        assertThat(cgroups.existing).containsExactly("/berth/" + pod.id());
        assertThat(network.attached).containsExactly(pod.id());
        assertThat(files.hostname(pod.id())).content().isEqualTo("web\n");
        assertThat(mounts.mounted).containsExactly(files.shm(pod.id()));
        assertThat(store.get(pod.id())).contains(pod);
        assertThat(events).containsExactly("started " + pod.id());
    }

    @Test
    void aFailedCniAddRollsBackNamespacesCgroupFilesAndRecord() {
        network.failSetUp = true;

        assertThatThrownBy(() -> sandboxes.run(config("web"), ""))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("CNI ADD");

        assertRolledBack();
    }

    @Test
    void aFailedCgroupStepRollsBackTheNetworkAndNamespaces() {
        cgroups.failOn = "create";

        assertThatThrownBy(() -> sandboxes.run(config("web"), ""))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("injected");

        assertThat(network.detached).as("CNI DEL of the ADD that ran meanwhile").isEqualTo(network.attached);
        assertRolledBack();
    }

    private void assertRolledBack() {
        String id = namespaces.pinned.getFirst();
        assertThat(namespaces.released).contains(id);
        assertThat(cgroups.existing).isEmpty();
        assertThat(mounts.mounted).isEmpty();
        assertThat(files.dir(id)).doesNotExist();
        assertThat(store.all()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void aNameAlreadyUsedIsAlreadyExistsAndMakesNothing() throws IOException, ConflictException {
        SandboxRecord first = sandboxes.run(config("web"), "");

        assertThatThrownBy(() -> sandboxes.run(config("web"), ""))
                .isInstanceOfSatisfying(
                        ConflictException.class,
                        e -> assertThat(e.kind()).isEqualTo(ConflictException.Kind.ALREADY_EXISTS))
                .hasMessageContaining(first.id());

        assertThat(namespaces.pinned).containsExactly(first.id());
        assertThat(network.attached).containsExactly(first.id());
        assertThat(store.all()).containsExactly(first);
    }

    @Test
    void anUnknownRuntimeHandlerIsRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> sandboxes.run(config("web"), "kata"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kata");

        assertThat(namespaces.pinned).isEmpty();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void hostNetworkPodsGetNoNetworkNamespaceAndNoCniCall() throws IOException, ConflictException {
        PodSandboxConfig hostNetwork = config(
                "node-agent",
                NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER).setNetwork(NamespaceMode.NODE));

        SandboxRecord pod = sandboxes.run(hostNetwork, "");

        assertThat(pod.status().netnsPath()).isNull();
        assertThat(network.attached).isEmpty();
    }

    @Test
    void stopStopsThePodsContainersAndDetachesItsNetworkAndRemoveRemovesThem() throws Exception {
        SandboxRecord pod = sandboxes.run(config("web"), "");

        sandboxes.stop(pod.id());

        assertThat(containers.stopped).containsExactly(pod.id());
        assertThat(network.detached).containsExactly(pod.id());
        assertThat(store.get(pod.id()).orElseThrow().state()).isEqualTo(SandboxState.NOTREADY);

        sandboxes.remove(pod.id());

        assertThat(containers.removed).containsExactly(pod.id());
        assertThat(store.all()).isEmpty();
        assertThat(cgroups.existing).isEmpty();
        assertThat(files.dir(pod.id())).doesNotExist();
        assertThat(events).containsExactly("started " + pod.id(), "deleted " + pod.id());
    }

    @Test
    void thePodCgroupGoesBelowKubeletsParentAndOnlyItIsKilledAndRemoved() throws Exception {
        cgroups.existing.add("/kubepods");
        cgroups.existing.add("/kubepods/pod-u1");
        PodSandboxConfig config = config("web").toBuilder()
                .setLinux(config("web").getLinux().toBuilder().setCgroupParent("/kubepods/pod-u1/"))
                .build();

        SandboxRecord pod = sandboxes.run(config, "");
        sandboxes.remove(pod.id());

        assertThat(pod.cgroupPath()).isEqualTo("/kubepods/pod-u1/" + pod.id());
        assertThat(pod.metadata().cgroupParentsMade()).isEmpty();
        assertThat(cgroups.calls)
                .contains("create /kubepods/pod-u1/" + pod.id(), "killAll /kubepods/pod-u1/" + pod.id())
                .noneMatch(call -> call.endsWith(" /kubepods/pod-u1") || call.endsWith(" /kubepods"));
        assertThat(cgroups.existing).containsExactlyInAnyOrder("/kubepods", "/kubepods/pod-u1");
    }

    /** Pins nothing: records which pods asked, with a plain file standing in for each nsfs pin. */
    private final class FakeNamespaces implements PodNamespaces {

        final List<String> pinned = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();

        @Override
        public PinnedNamespaces pin(String podId, String hostname, Set<PodNamespace> kinds) throws IOException {
            pinned.add(podId);
            Path podDir = Files.createDirectories(dir.resolve("ns").resolve(podId));
            Map<PodNamespace, Path> paths = new EnumMap<>(PodNamespace.class);
            for (PodNamespace kind : kinds) {
                paths.put(kind, Files.writeString(podDir.resolve(kind.procName()), ""));
            }
            return new PinnedNamespaces(podId, paths);
        }

        @Override
        public void release(String podId) {
            released.add(podId);
        }
    }

    private static final class FakeContainers implements PodContainers {

        final List<String> stopped = new CopyOnWriteArrayList<>();
        final List<String> removed = new CopyOnWriteArrayList<>();

        @Override
        public void stopAll(String sandboxId) {
            stopped.add(sandboxId);
        }

        @Override
        public void removeAll(String sandboxId) {
            removed.add(sandboxId);
        }
    }
}
