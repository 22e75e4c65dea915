package dev.berth.sandbox;

import dev.berth.cgroup.CgroupManager;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.NamespaceMode;
import dev.berth.cri.v1.NamespaceOption;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.logging.LogIds;
import dev.berth.network.PodNetwork;
import dev.berth.network.PodNetworkStatus;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.store.CleanupSteps;
import dev.berth.store.ConflictException;
import dev.berth.store.IdLocks;
import dev.berth.store.NotFoundException;
import dev.berth.store.RecordIds;
import dev.berth.store.RecordStore;
import dev.berth.store.Timestamps;
import dev.berth.timing.PhaseTimer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod half of the CRI RuntimeService. RunPodSandbox makes the pod's namespaces in-process, its
 * cgroup, its shared files and its network; any failure rolls back everything already made.
 */
public final class SandboxService {

    private static final Logger log = LoggerFactory.getLogger(SandboxService.class);
    /** Shorter prefixes would too often name several pods. */
    private static final int MIN_ID_PREFIX = 6;

    private final RecordStore<SandboxRecord> store;
    private final PodNamespaces pinner;
    private final PidNamespaceHolder pidHolder;
    private final CgroupManager cgroups;
    private final PodCgroups podCgroups;
    private final PodNetwork network;
    private final PodFiles files;
    private final RuntimeHandlers runtimes;
    private final PodContainers containers;
    private final SandboxTeardown teardown;
    private final RecordIds ids;
    private final Path nsRoot;
    private final IdLocks podLocks;
    private final PodEvents events;
    private final Object nameLock = new Object();

    public SandboxService(
            RecordStore<SandboxRecord> store,
            PodNamespaces pinner,
            PidNamespaceHolder pidHolder,
            CgroupManager cgroups,
            PodNetwork network,
            PodFiles files,
            RuntimeHandlers runtimes,
            PodContainers containers,
            SandboxTeardown teardown,
            RecordIds ids,
            Path nsRoot,
            IdLocks podLocks,
            PodEvents events) {
        this.store = store;
        this.pinner = pinner;
        this.pidHolder = pidHolder;
        this.cgroups = cgroups;
        this.podCgroups = new PodCgroups(cgroups);
        this.network = network;
        this.files = files;
        this.runtimes = runtimes;
        this.containers = containers;
        this.teardown = teardown;
        this.ids = ids;
        this.nsRoot = nsRoot;
        this.podLocks = podLocks;
        this.events = events;
    }

    public SandboxRecord run(PodSandboxConfig config, String runtimeHandler) throws IOException, ConflictException {
        try (LogIds.Scope id = LogIds.keep(LogIds.POD_ID)) {
            return runNew(config, runtimeHandler);
        }
    }

    private SandboxRecord runNew(PodSandboxConfig config, String runtimeHandler) throws IOException, ConflictException {
        if (!config.hasMetadata()
                || config.getMetadata().getName().isEmpty()
                || config.getMetadata().getUid().isEmpty()
                || config.getMetadata().getNamespace().isEmpty()) {
            throw new IllegalArgumentException("pod sandbox config needs metadata name, uid and namespace");
        }
        PhaseTimer timer = new PhaseTimer();
        runtimes.require(runtimeHandler);
        DnsConfigs.validate(config.getDnsConfig());
        String id = ids.next();
        LogIds.pod(id);
        NamespaceOption options = config.getLinux().getSecurityContext().getNamespaceOptions();
        boolean hostNetwork = options.getNetwork() == NamespaceMode.NODE;
        boolean hostIpc = options.getIpc() == NamespaceMode.NODE;
        boolean podPid = options.getPid() == NamespaceMode.POD;
        String cgroupParent = config.getLinux().getCgroupParent();
        // refused before anything is made: a pod whose cgroup step cannot even be undone could never be rolled back
        String cgroupPath = PodCgroups.path(cgroupParent, id);
        SandboxRecord record = SandboxRecord.creating(new SandboxMetadata(
                id,
                config.getMetadata().getName(),
                config.getMetadata().getNamespace(),
                config.getMetadata().getUid(),
                config.getMetadata().getAttempt(),
                config.getLabelsMap(),
                config.getAnnotationsMap(),
                runtimeHandler,
                cgroupPath,
                podCgroups.missingParents(cgroupParent),
                SandboxConfigs.namespaceModes(config),
                SandboxConfigs.portMappings(config),
                Timestamps.nowNanos(),
                config.toByteArray()));
        synchronized (nameLock) {
            for (SandboxRecord other : store.all()) {
                if (other.metadata().reservedName().equals(record.metadata().reservedName())) {
                    throw new ConflictException(
                            ConflictException.Kind.ALREADY_EXISTS,
                            "pod sandbox name " + record.metadata().reservedName() + " is already used by "
                                    + other.id());
                }
            }
            store.putTransient(record);
        }
        long started = System.nanoTime();
        timer.lap("record");
        try {
            SandboxRecord ready = setUp(record, config, hostNetwork, hostIpc, podPid, timer);
            store.put(ready);
            timer.lap("final-record");
            // as containerd: a pod sandbox's events name the sandbox as the container
            events.created(id, id);
            events.started(id, id);
            log.info(
                    "pod {} ({}/{}) ready in {} ms: ip {}",
                    id,
                    record.namespace(),
                    record.name(),
                    (System.nanoTime() - started) / 1_000_000,
                    ready.status().ip());
            log.debug("pod {} RunPodSandbox phases ms: {}", id, timer.summary());
            return ready;
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "pod {} ({}/{}): RunPodSandbox failed, rolling back: {}",
                    id,
                    record.namespace(),
                    record.name(),
                    e.toString());
            try {
                removeRemains(store.get(id).orElse(record), true);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
                keepForRetry(
                        id,
                        "RunPodSandbox failed (" + e.getMessage() + ") and rolling it back failed: "
                                + CleanupSteps.describe(cleanup));
            }
            throw e;
        }
    }

    private SandboxRecord setUp(
            SandboxRecord record,
            PodSandboxConfig config,
            boolean hostNetwork,
            boolean hostIpc,
            boolean podPid,
            PhaseTimer timer)
            throws IOException {
        String id = record.id();
        Set<PodNamespace> kinds = EnumSet.noneOf(PodNamespace.class);
        if (!hostNetwork) {
            kinds.add(PodNamespace.NET);
            kinds.add(PodNamespace.UTS);
        }
        if (!hostIpc) {
            kinds.add(PodNamespace.IPC);
        }
        PinnedNamespaces pinned = pinner.pin(id, config.getHostname(), kinds);
        timer.lap("pin-ns");
        String pidns = podPid ? nsRoot.resolve(id).resolve("pid").toString() : null;
        // recorded before the holder starts, so a crash in between still finds what to undo
        record = record.withNamespaces(
                path(pinned, PodNamespace.NET),
                path(pinned, PodNamespace.IPC),
                path(pinned, PodNamespace.UTS),
                pidns,
                0);
        store.putTransient(record);
        timer.lap("ns-record");
        // CNI ADD (plugin processes, the bulk of a pod's start) needs only the pinned netns, so it runs
        // while the cgroup and the pod's files are made.
        NetworkAttach attach = hostNetwork
                ? null
                : NetworkAttach.start(
                        network,
                        SandboxTeardown.networkRequest(
                                record, Path.of(record.status().netnsPath())),
                        timer);
        try {
            if (podPid) {
                int holder = pidHolder.start(Path.of(pidns));
                record = record.withPidNamespaceHolder(holder);
                store.putTransient(record);
                timer.lap("pid-holder");
            }
            // pod-level resources (CRI's PodSandboxConfig.linux.resources); none set writes nothing
            podCgroups.create(record, CriResources.toCgroup(config.getLinux().getResources()));
            timer.lap("cgroup");
            String hostname = config.getHostname().isEmpty() ? HostName.ofNode() : config.getHostname();
            files.write(id, hostname, config.getDnsConfig(), hostNetwork, !hostIpc);
            timer.lap("files");
        } catch (IOException | RuntimeException e) {
            // the rollback's CNI DEL must not race the ADD still running
            if (attach != null) {
                attach.awaitQuietly(e);
            }
            throw e;
        }
        if (attach != null) {
            PodNetworkStatus status = attach.await();
            timer.lap("cni-wait");
            record = record.withNetwork(status.ip(), status.additionalIps());
        }
        return record.withState(SandboxState.READY);
    }

    private static String path(PinnedNamespaces pinned, PodNamespace kind) {
        Path path = pinned.paths().get(kind);
        return path == null ? null : path.toString();
    }

    /**
     * Stops every container (at once: kubelet already gave them their grace period), then the pod's network.
     * Waits for a CreateContainer in this pod to finish first, so its container is stopped too.
     */
    public void stop(String idOrPrefix) throws IOException {
        underPodLock(idOrPrefix, this::stopLocked);
    }

    private interface PodAction {
        void run(SandboxRecord sandbox) throws IOException;
    }

    /** Runs the action on the pod's record as it is once the pod's lock is held; an unknown pod is left alone. */
    private void underPodLock(String idOrPrefix, PodAction action) throws IOException {
        SandboxRecord found;
        try {
            found = get(idOrPrefix);
        } catch (NotFoundException e) {
            return;
        }
        try (IdLocks.Held held = podLocks.lock(found.id())) {
            SandboxRecord sandbox = store.get(found.id()).orElse(null);
            if (sandbox != null) {
                action.run(sandbox);
            }
        }
    }

    /** NOTREADY even when releasing fails: whatever is left, the pod can no longer be relied on. */
    private void stopLocked(SandboxRecord sandbox) throws IOException {
        containers.stopAll(sandbox.id());
        IOException released = null;
        try {
            teardown.release(sandbox);
        } catch (IOException e) {
            released = e;
        }
        if (sandbox.state() != SandboxState.NOTREADY) {
            store.put(sandbox.withState(SandboxState.NOTREADY));
            events.stopped(sandbox.id(), sandbox.id());
            log.info("pod {} ({}/{}) stopped", sandbox.id(), sandbox.namespace(), sandbox.name());
        }
        if (released != null) {
            throw released;
        }
    }

    /**
     * Stops the pod if needed and removes it with all its containers; an unknown ID succeeds. If some of it
     * cannot be removed the pod stays, NOTREADY with why, and a later call (or berthd's next start) retries.
     */
    public void remove(String idOrPrefix) throws IOException {
        underPodLock(idOrPrefix, this::removeLocked);
    }

    /**
     * At start-up: retries the removal a pod owes (a failed RemovePodSandbox, a RunPodSandbox that failed or was
     * cut short and could not be rolled back), under the pod's lock so no CRI call on it runs meanwhile.
     */
    public void retryTeardown(String id) throws IOException {
        try (IdLocks.Held held = podLocks.lock(id)) {
            SandboxRecord sandbox = store.get(id).orElse(null);
            if (sandbox != null && (sandbox.owesTeardown() || sandbox.state() == SandboxState.CREATING)) {
                log.info(
                        "pod {} ({}/{}): retrying its removal: {}",
                        id,
                        sandbox.namespace(),
                        sandbox.name(),
                        sandbox.status().teardownError());
                removeLocked(sandbox);
            }
        }
    }

    private void removeLocked(SandboxRecord sandbox) throws IOException {
        SandboxRecord stopped;
        try {
            stopLocked(sandbox);
            containers.removeAll(sandbox.id());
            stopped = store.get(sandbox.id()).orElse(sandbox);
            removeRemains(stopped, false);
        } catch (IOException | RuntimeException e) {
            keepForRetry(sandbox.id(), "removing the pod failed: " + CleanupSteps.describe(e));
            throw e;
        }
        events.podDeleted(stopped);
        log.info("pod {} ({}/{}) removed", sandbox.id(), sandbox.namespace(), sandbox.name());
    }

    /**
     * The record stays, NOTREADY with the error, so that what is left is visible and RemovePodSandbox (or the next
     * start) can finish the job; forgetting it would leave a netns, a cgroup or an IP that nothing ever frees.
     */
    private void keepForRetry(String id, String error) {
        SandboxRecord current = store.get(id).orElse(null);
        if (current == null) {
            return;
        }
        log.warn(
                "pod {} ({}/{}) kept NOTREADY until its removal succeeds: {}",
                id,
                current.namespace(),
                current.name(),
                error);
        try {
            store.put(current.teardownFailed(error));
        } catch (IOException e) {
            log.warn("pod {}: recording its failed removal failed too: {}", id, e.toString());
        }
    }

    /**
     * The pod's cgroup and files, then its record once nothing failed; with {@code release} first what the pod
     * holds on the node (a rollback, which no stop preceded).
     */
    private void removeRemains(SandboxRecord sandbox, boolean release) throws IOException {
        CleanupSteps steps = new CleanupSteps();
        if (release) {
            steps.run("release", () -> teardown.release(sandbox));
        }
        steps.run("pod cgroup " + sandbox.cgroupPath(), () -> podCgroups.remove(sandbox));
        steps.run("pod files", () -> files.remove(sandbox.id()));
        if (!steps.failed()) {
            store.remove(sandbox.id());
            log.debug("pod {} remove phases ms: {}", sandbox.id(), steps.phases());
        }
        steps.finish();
    }

    /**
     * kubelet resized the pod (in-place vertical scaling): the pod's own cgroup (below kubelet's, holding every
     * container's) gets the containers' sum plus the pod's overhead, as kubelet sizes its own. Fields left unset
     * keep the cgroup's current values.
     */
    public void updateResources(String idOrPrefix, LinuxContainerResources overhead, LinuxContainerResources resources)
            throws IOException, NotFoundException {
        SandboxRecord sandbox = get(idOrPrefix);
        if (!cgroups.exists(sandbox.cgroupPath())) {
            throw new NotFoundException("cgroup of pod sandbox", sandbox.cgroupPath());
        }
        cgroups.apply(sandbox.cgroupPath(), CriResources.toCgroup(PodResources.withOverhead(resources, overhead)));
        log.info("pod {} ({}/{}): cgroup resources updated", sandbox.id(), sandbox.namespace(), sandbox.name());
    }

    public SandboxRecord get(String idOrPrefix) throws NotFoundException {
        SandboxRecord record = store.find(idOrPrefix, MIN_ID_PREFIX).orElse(null);
        if (record == null || record.state() == SandboxState.CREATING) {
            throw new NotFoundException("pod sandbox", idOrPrefix);
        }
        return record;
    }

    public List<SandboxRecord> list(Predicate<SandboxRecord> filter) {
        return store.all().stream()
                .filter(r -> r.state() != SandboxState.CREATING)
                .filter(filter)
                .toList();
    }
}
