package dev.berth.daemon;

import dev.berth.build.run.BuildRuntime;
import dev.berth.build.run.BuildSandboxes;
import dev.berth.build.run.RunStep;
import dev.berth.cgroup.CgroupManager;
import dev.berth.container.ContainerCreator;
import dev.berth.container.ContainerLeases;
import dev.berth.container.ContainerObserver;
import dev.berth.container.ContainerPaths;
import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerRecordFormat;
import dev.berth.container.ContainerRecovery;
import dev.berth.container.ContainerRootfs;
import dev.berth.container.ContainerService;
import dev.berth.container.ContainerState;
import dev.berth.container.ContainerStreaming;
import dev.berth.container.ContainerTeardown;
import dev.berth.container.ExecUsers;
import dev.berth.container.ExitWatcher;
import dev.berth.cri.BerthContainersRpc;
import dev.berth.cri.RuntimeServiceRpc;
import dev.berth.events.ContainerEvents;
import dev.berth.imagestore.ImageService;
import dev.berth.imagestore.Leases;
import dev.berth.metrics.BerthMetrics;
import dev.berth.network.DefaultNetworkForm;
import dev.berth.network.NodeNetwork;
import dev.berth.node.NodeReadiness;
import dev.berth.oci.OciSpecBuilder;
import dev.berth.process.Binaries;
import dev.berth.process.CommandRunner;
import dev.berth.restart.ExitPolicies;
import dev.berth.restart.ExitRelay;
import dev.berth.runtime.Conmon;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ExitFiles;
import dev.berth.runtime.OciRuntime;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.sandbox.NamespacePinner;
import dev.berth.sandbox.PidNamespaceHolder;
import dev.berth.sandbox.PodEvents;
import dev.berth.sandbox.PodFiles;
import dev.berth.sandbox.PodPortForwarder;
import dev.berth.sandbox.ReadyPods;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxRecordFormat;
import dev.berth.sandbox.SandboxRecovery;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxState;
import dev.berth.sandbox.SandboxTeardown;
import dev.berth.snapshot.SnapshotStore;
import dev.berth.stats.NetworkCounters;
import dev.berth.stats.StatsService;
import dev.berth.store.IdLocks;
import dev.berth.store.Json;
import dev.berth.store.RecordIds;
import dev.berth.store.RecordStore;
import dev.berth.streaming.ContainerStreams;
import dev.berth.streaming.PodPorts;
import dev.berth.streaming.StreamingServer;
import dev.berth.sys.MountCalls;
import dev.berth.sys.NamespaceCalls;
import dev.berth.sys.Terminals;
import dev.berth.sys.UnixSockets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/** The pod and container features wired together: what RunPodSandbox through RemoveContainer need. */
final class PodWiring implements AutoCloseable {

    /** Events one GetContainerEvents client may fall behind by before it is dropped (kubelet relists then). */
    private static final int EVENTS_PER_SUBSCRIBER = 1000;
    /** Pods recovered at once after a start: each mostly waits for CNI plugins and runc, not for a core. */
    private static final int RECOVERY_PARALLELISM = 8;

    private final SandboxService sandboxes;
    private final ContainerService containers;
    private final StartupRecovery recovery;
    private StartupRecovery.Running running;
    private final ContainerPaths paths;
    private final StatsService stats;
    private final NodeReadiness readiness;
    private final RuntimeHandlers runtimes;
    private final ContainerEvents events;
    private final ExitWatcher exitWatcher;
    private final ExitPolicies exitPolicies;
    private final NodeNetwork network;
    private final RecordStore<SandboxRecord> sandboxStore;
    private final ContainerStreams containerStreams;
    private final PodPorts podPorts;
    private final BuildRuntime builds;

    private PodWiring(
            SandboxService sandboxes,
            ContainerService containers,
            StartupRecovery recovery,
            ContainerPaths paths,
            StatsService stats,
            NodeReadiness readiness,
            RuntimeHandlers runtimes,
            ContainerEvents events,
            ExitWatcher exitWatcher,
            ExitPolicies exitPolicies,
            NodeNetwork network,
            RecordStore<SandboxRecord> sandboxStore,
            ContainerStreams containerStreams,
            PodPorts podPorts,
            BuildRuntime builds) {
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.recovery = recovery;
        this.paths = paths;
        this.stats = stats;
        this.readiness = readiness;
        this.runtimes = runtimes;
        this.events = events;
        this.exitWatcher = exitWatcher;
        this.exitPolicies = exitPolicies;
        this.network = network;
        this.sandboxStore = sandboxStore;
        this.containerStreams = containerStreams;
        this.podPorts = podPorts;
        this.builds = builds;
    }

    static PodWiring wire(
            BerthConfig config,
            Json json,
            ImageService images,
            SnapshotStore snapshots,
            Leases leases,
            BerthMetrics metrics)
            throws IOException {
        Path root = config.rootDir();
        Path state = config.stateDir();
        CommandRunner runner = new CommandRunner(DaemonDirs.commandScratch(state));
        MountCalls mounts = new MountCalls();
        NamespaceCalls namespaceCalls = new NamespaceCalls();
        CgroupManager cgroups = CgroupManager.detect();
        RuntimeHandlers runtimes = runtimeHandlers(config, state, runner, metrics);
        RecordIds ids = new RecordIds();
        IdLocks podLocks = new IdLocks();

        ContainerPaths paths = new ContainerPaths(state, root);
        RecordStore<ContainerRecord> containerStore =
                new RecordStore<>(paths.records(), json, ContainerRecordFormat.format(), ContainerRecord::id);
        RecordStore<SandboxRecord> sandboxStore =
                new RecordStore<>(root.resolve("sandboxes"), json, SandboxRecordFormat.format(), SandboxRecord::id);
        ContainerLeases containerLeases = new ContainerLeases(leases);
        metrics.countByState(
                "berth_pods",
                "Pod sandboxes by state",
                SandboxState.class,
                () -> sandboxStore.all().stream().map(SandboxRecord::state));
        metrics.countByState(
                "berth_containers",
                "Containers by state, as last observed",
                ContainerState.class,
                () -> containerStore.all().stream().map(ContainerRecord::state));
        ContainerRootfs rootfs = new ContainerRootfs(paths, snapshots, mounts);
        Path conmonBinary = Binaries.find("conmon");
        Conmon conmon = new Conmon(conmonBinary, runner, metrics.ociRuntime());
        ContainerTeardown containerTeardown =
                new ContainerTeardown(containerStore, runtimes, cgroups, rootfs, paths, containerLeases, conmon);
        ContainerEvents events = new ContainerEvents(sandboxStore, containerStore, EVENTS_PER_SUBSCRIBER);
        StatsService stats = new StatsService(cgroups, rootfs, new NetworkCounters(Path.of("/proc")));
        ExitRelay exits = new ExitRelay(podLocks);
        PodEvents podEvents = PodEvents.all(List.of(events, stats, exits));
        ContainerObserver observer =
                new ContainerObserver(containerStore, new ExitFiles(paths.exits()), paths, cgroups, podEvents);
        OciSpecBuilder specs = OciSpecBuilder.forHost(config.securityOrDefault().seccompWhenUnsetOrDefault());
        PodFiles files = new PodFiles(state.resolve("sandboxes"), Path.of("/etc/resolv.conf"), mounts);
        ContainerCreator creator = new ContainerCreator(
                containerStore,
                ReadyPods.of(sandboxStore, files),
                images,
                containerLeases,
                rootfs,
                paths,
                specs,
                runtimes,
                conmon,
                containerTeardown,
                ids,
                podLocks);
        ContainerService containers = new ContainerService(
                containerStore, creator, observer, containerTeardown, runtimes, specs, paths, podEvents, cgroups);

        NodeNetwork network = new NodeNetwork(
                config.cniSettings(),
                DefaultNetworkForm.parse(config.networkOrDefault().defaultForm()),
                runner,
                namespaceCalls,
                metrics.cni());
        Path nsRoot = state.resolve("ns");
        NamespacePinner pinner = new NamespacePinner(namespaceCalls, nsRoot);
        PidNamespaceHolder pidHolder =
                new PidNamespaceHolder(Binaries.find("unshare"), Binaries.find("catatonit"), namespaceCalls);
        SandboxTeardown sandboxTeardown = new SandboxTeardown(network, pinner, pidHolder, files);
        SandboxService sandboxes = new SandboxService(
                sandboxStore,
                pinner,
                pidHolder,
                cgroups,
                network,
                files,
                runtimes,
                containers,
                sandboxTeardown,
                ids,
                nsRoot,
                podLocks,
                podEvents);
        return new PodWiring(
                sandboxes,
                containers,
                new StartupRecovery(
                        new ContainerRecovery(
                                containerStore,
                                observer,
                                containerTeardown,
                                runtimes,
                                containerLeases,
                                paths,
                                rootfs,
                                conmon),
                        new SandboxRecovery(sandboxStore, sandboxes),
                        podLocks,
                        RECOVERY_PARALLELISM),
                paths,
                stats,
                readiness(conmonBinary, runtimes, network),
                runtimes,
                events,
                new ExitWatcher(containerStore, observer, paths.exits()),
                new ExitPolicies(exits, containers, sandboxes),
                network,
                sandboxStore,
                new ContainerStreaming(containers, runtimes, paths, new UnixSockets(), new Terminals()),
                new PodPortForwarder(sandboxes, namespaceCalls),
                buildRuntime(mounts, pinner, network, cgroups, namespaceCalls, root, specs, runtimes, runner));
    }

    private static BuildRuntime buildRuntime(
            MountCalls mounts,
            NamespacePinner pinner,
            NodeNetwork network,
            CgroupManager cgroups,
            NamespaceCalls namespaceCalls,
            Path root,
            OciSpecBuilder specs,
            RuntimeHandlers runtimes,
            CommandRunner runner) {
        BuildSandboxes sandboxes = new BuildSandboxes(
                pinner, network, cgroups, namespaceCalls, root.resolve("builds"), Path.of("/etc/resolv.conf"));
        ContainerRuntime runc = runtimes.require("");
        return new BuildRuntime(mounts, sandboxes, new RunStep(specs, runc, runner), sandboxes.leftovers(mounts, runc));
    }

    private static NodeReadiness readiness(Path conmonBinary, RuntimeHandlers runtimes, NodeNetwork network) {
        Map<String, Path> programs = new LinkedHashMap<>();
        programs.put("conmon", conmonBinary);
        runtimes.runtimes()
                .forEach(runtime ->
                        programs.putIfAbsent(runtime.binary().getFileName().toString(), runtime.binary()));
        return new NodeReadiness(programs, network::notReadyReason);
    }

    private static RuntimeHandlers runtimeHandlers(
            BerthConfig config, Path state, CommandRunner runner, BerthMetrics metrics) {
        Map<String, ContainerRuntime> handlers = new LinkedHashMap<>();
        OciRuntime runc = new OciRuntime(Binaries.find("runc"), state.resolve("runc"), runner, metrics.ociRuntime());
        handlers.put("", runc);
        handlers.put("runc", runc);
        config.runtimesOrDefault().forEach((name, runtime) -> {
            if (runtime.path() == null || runtime.path().isBlank()) {
                throw new IllegalArgumentException("runtimes." + name + ".path is required");
            }
            Path runtimeRoot =
                    runtime.root() == null ? state.resolve("runtimes").resolve(name) : Path.of(runtime.root());
            handlers.put(name, new OciRuntime(Path.of(runtime.path()), runtimeRoot, runner, metrics.ociRuntime()));
        });
        return new RuntimeHandlers(handlers);
    }

    /**
     * Reconciles the records with the node: on return every record reads consistently and every container's
     * layers are leased; the removals owed run on (see {@link StartupRecovery}). Containers exiting by themselves
     * are watched from here on.
     */
    StartupRecovery.Running recover() throws IOException {
        network.releaseAddressesOfUnknownPods(
                sandboxStore.all().stream().map(SandboxRecord::id).collect(Collectors.toSet()));
        running = recovery.start();
        exitPolicies.start();
        exitWatcher.start();
        return running;
    }

    /** Exec and attach, for the streaming server's {@code StreamBackends}. */
    ContainerStreams containerStreams() {
        return containerStreams;
    }

    /** Port forwarding, for the streaming server's {@code StreamBackends}. */
    PodPorts podPorts() {
        return podPorts;
    }

    /** What builds take from the pod side: mounts, the build sandboxes and runc. */
    BuildRuntime builds() {
        return builds;
    }

    RuntimeServiceRpc rpc(String version, Json json, StreamingServer streaming, Executor executor) {
        return new RuntimeServiceRpc(
                readiness,
                runtimes,
                version,
                sandboxes,
                containers,
                json,
                paths,
                stats,
                events,
                network,
                streaming,
                executor);
    }

    /** berth.v1 Containers: Exec with a user, working directory and variables, through the same streaming server. */
    BerthContainersRpc containersRpc(StreamingServer streaming) {
        return new BerthContainersRpc(streaming, sandboxes, containers, new ExecUsers(paths));
    }

    @Override
    public void close() throws IOException {
        if (running != null) {
            running.close();
        }
        exitWatcher.close();
        exitPolicies.close();
    }
}
