package dev.berth.container;

import dev.berth.cgroup.CgroupManager;
import dev.berth.cri.v1.ContainerConfig;
import dev.berth.cri.v1.LinuxContainerResources;
import dev.berth.cri.v1.PodSandboxConfig;
import dev.berth.oci.InvalidContainerConfigException;
import dev.berth.oci.OciSpecBuilder;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ExecResult;
import dev.berth.runtime.RuntimeHandlers;
import dev.berth.sandbox.PodContainers;
import dev.berth.sandbox.PodEvents;
import dev.berth.store.ConflictException;
import dev.berth.store.NotFoundException;
import dev.berth.store.RecordStore;
import dev.berth.store.Timestamps;
import dev.berth.timing.PhaseTimer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The container half of the CRI RuntimeService: lifecycle and queries over container records. */
public final class ContainerService implements PodContainers {

    private static final Logger log = LoggerFactory.getLogger(ContainerService.class);
    /** How long a SIGKILLed container may take to be reaped before StopContainer gives up. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);
    /** Shorter prefixes would too often name several containers. */
    private static final int MIN_ID_PREFIX = 6;

    private static final Duration LOG_REOPEN_WAIT = Duration.ofSeconds(5);
    /** ExecSync output kept per stream, as CRI-O and containerd keep it (dockershim's log limit); the rest is dropped. */
    static final int EXEC_SYNC_OUTPUT_LIMIT = 16 * 1024 * 1024;

    private final RecordStore<ContainerRecord> store;
    private final ContainerCreator creator;
    private final ContainerObserver observer;
    private final ContainerTeardown teardown;
    private final RuntimeHandlers runtimes;
    private final OciSpecBuilder specs;
    private final ContainerPaths paths;
    private final PodEvents events;
    private final ContainerSignals signals;

    public ContainerService(
            RecordStore<ContainerRecord> store,
            ContainerCreator creator,
            ContainerObserver observer,
            ContainerTeardown teardown,
            RuntimeHandlers runtimes,
            OciSpecBuilder specs,
            ContainerPaths paths,
            PodEvents events,
            CgroupManager cgroups) {
        this.signals = new ContainerSignals(cgroups);
        this.store = store;
        this.creator = creator;
        this.observer = observer;
        this.teardown = teardown;
        this.runtimes = runtimes;
        this.specs = specs;
        this.paths = paths;
        this.events = events;
    }

    public ContainerRecord create(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig)
            throws IOException, NotFoundException, ConflictException, InvalidContainerConfigException {
        ContainerRecord created = creator.create(sandboxId, config, sandboxConfig);
        events.created(created.id(), created.sandboxId());
        return created;
    }

    /**
     * The next attempt of an exited container, made from the config it was created with, in the same pod and with
     * the same log path; {@code annotations} are added to the config's. As kubelet restarts: a CRI container never
     * starts twice.
     */
    public ContainerRecord recreate(
            ContainerRecord exited, PodSandboxConfig sandboxConfig, Map<String, String> annotations)
            throws IOException, NotFoundException, ConflictException, InvalidContainerConfigException {
        ContainerConfig config = ContainerConfigs.parse(exited.metadata());
        ContainerConfig next = config.toBuilder()
                .setMetadata(config.getMetadata().toBuilder()
                        .setAttempt(exited.metadata().attempt() + 1))
                .putAllAnnotations(annotations)
                .build();
        return create(exited.sandboxId(), next, sandboxConfig);
    }

    public void start(String id) throws IOException, NotFoundException, ConflictException {
        PhaseTimer timer = new PhaseTimer();
        ContainerRecord record = get(id);
        if (record.state() != ContainerState.CREATED) {
            throw new ConflictException(
                    ConflictException.Kind.WRONG_STATE,
                    "container " + record.id() + " is " + record.state()
                            + ", not CREATED; only a created container can start");
        }
        long startedAt = Timestamps.nowNanos();
        timer.lap("lookup");
        runtimes.require(record.runtimeHandler()).start(record.id());
        timer.lap("runc-start");
        // Unsynced: a RUNNING record lost with the page cache leaves the synced CREATED one, which recovery
        // handles either way (runc says running: started; container gone after a reboot: exited, 255).
        store.putTransient(record.started(startedAt));
        timer.lap("record");
        log.info("started container {} of pod {}", record.id(), record.sandboxId());
        // before the observer looks: a container that is already gone must read STARTED, then STOPPED
        events.started(record.id(), record.sandboxId());
        observer.observe(record);
        log.debug(
                "container {} of pod {} StartContainer phases ms: {}",
                record.id(),
                record.sandboxId(),
                timer.summary());
    }

    /**
     * The stop signal, then SIGKILL once {@code timeoutSeconds} have passed; 0 kills at once. Stopping a
     * container that is not running, or that does not exist (any more), succeeds: CRI makes StopContainer
     * idempotent, and kubelet retries it after a removal.
     */
    public void stop(String id, long timeoutSeconds) throws IOException {
        PhaseTimer timer = new PhaseTimer();
        ContainerRecord record;
        try {
            record = get(id);
        } catch (NotFoundException e) {
            log.debug("StopContainer of unknown container {}: nothing to stop", id);
            return;
        }
        // told even when the container already exited: a stop while a restart policy makes its successor is the
        // user's word that the container stays stopped
        events.stopRequested(record.id(), record.sandboxId());
        if (!record.isLive()) {
            return;
        }
        timer.lap("lookup");
        stopLive(record, timeoutSeconds, timer);
        log.debug(
                "container {} of pod {} StopContainer phases ms: {}", record.id(), record.sandboxId(), timer.summary());
    }

    private void stopLive(ContainerRecord record, long timeoutSeconds, PhaseTimer timer) throws IOException {
        ContainerRuntime runtime = runtimes.require(record.runtimeHandler());
        if (timeoutSeconds > 0 && record.state() == ContainerState.RUNNING) {
            if (!signals.signalInit(record, runtime, record.metadata().stopSignal())) {
                runtime.kill(record.id(), record.metadata().stopSignal(), false);
            }
            timer.lap("signal");
            if (awaitExit(record, Duration.ofSeconds(timeoutSeconds))) {
                timer.lap("await-exit");
                return;
            }
            log.info(
                    "container {} did not stop within {} s of signal {}; killing it",
                    record.id(),
                    timeoutSeconds,
                    record.metadata().stopSignal());
        }
        if (!signals.killAll(record, runtime)) {
            runtime.kill(record.id(), Signals.SIGKILL, true);
        }
        timer.lap("kill");
        if (!awaitExit(record, KILL_GRACE)) {
            throw new IOException(
                    "container " + record.id() + " did not exit within " + KILL_GRACE.toSeconds() + " s of SIGKILL");
        }
        timer.lap("await-kill");
    }

    private boolean awaitExit(ContainerRecord record, Duration timeout) throws IOException {
        // kubelet's timeout is any int64 of seconds: past ~292 years of nanoseconds it means "wait", not overflow
        long limit = timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
        long started = System.nanoTime();
        long pause = 1;
        while (true) {
            long seen = observer.exitsRecorded();
            if (!observer.observe(record).isLive()) {
                return true;
            }
            if (System.nanoTime() - started > limit) {
                return false;
            }
            // woken by the exit watcher's record of the exit; the growing pause is the fallback for what it does not
            // watch (a created container's runtime init, killed before it ever ran)
            try {
                observer.awaitAnotherExit(seen, pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping container " + record.id(), e);
            }
            pause = Math.min(pause * 2, 50);
        }
    }

    /** Kills the container if needed and removes everything of it; an unknown ID succeeds. */
    public void remove(String id) throws IOException {
        ContainerRecord record;
        try {
            record = get(id);
        } catch (NotFoundException e) {
            return;
        }
        if (record.isLive()) {
            stop(record.id(), 0);
            if (store.get(record.id()).isEmpty()) {
                return;
            }
        }
        teardown.remove(store.get(record.id()).orElse(record));
        events.deleted(record.id(), record.sandboxId());
    }

    public ContainerRecord get(String idOrPrefix) throws NotFoundException, IOException {
        ContainerRecord record =
                store.find(idOrPrefix, MIN_ID_PREFIX).orElseThrow(() -> new NotFoundException("container", idOrPrefix));
        return observer.observe(record);
    }

    public List<ContainerRecord> list(Predicate<ContainerRecord> filter) throws IOException {
        List<ContainerRecord> result = new ArrayList<>();
        for (ContainerRecord current : observer.observeAll(store.all())) {
            if (filter.test(current)) {
                result.add(current);
            }
        }
        return result;
    }

    /**
     * {@link #list} when it records nothing; empty when an exit conmon reported waits to be recorded (the exit
     * watcher records them within milliseconds), which a caller that must not wait leaves to {@link #list}.
     */
    public Optional<List<ContainerRecord>> listUnlessExitsToRecord(Predicate<ContainerRecord> filter)
            throws IOException {
        return observer.unlessExitsToRecord(store.all())
                .map(all -> all.stream().filter(filter).toList());
    }

    public List<ContainerRecord> inSandbox(String sandboxId) throws IOException {
        return list(r -> r.sandboxId().equals(sandboxId));
    }

    @Override
    public void stopAll(String sandboxId) throws IOException {
        eachAtOnce(inSandbox(sandboxId), container -> stop(container.id(), 0));
    }

    @Override
    public void removeAll(String sandboxId) throws IOException {
        eachAtOnce(inSandbox(sandboxId), container -> remove(container.id()));
    }

    private interface ContainerAction {
        void run(ContainerRecord container) throws IOException;
    }

    /**
     * The action on every container at once, a virtual thread each (a pod's containers are independent, and each
     * mostly waits: for an exit, a runtime process, an unmount); every one runs even when another fails, whose
     * failure is then thrown, the others suppressed.
     */
    private static void eachAtOnce(List<ContainerRecord> containers, ContainerAction action) throws IOException {
        if (containers.size() == 1) {
            action.run(containers.getFirst());
            return;
        }
        List<Thread> threads = new ArrayList<>();
        List<IOException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (ContainerRecord container : containers) {
            threads.add(Thread.ofVirtual()
                    .name("berth-container-" + container.id())
                    .start(() -> {
                        try {
                            action.run(container);
                        } catch (IOException e) {
                            failures.add(e);
                        } catch (RuntimeException e) {
                            failures.add(new IOException("container " + container.id() + ": " + e, e));
                        }
                    }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting on the pod's containers", e);
            }
        }
        if (!failures.isEmpty()) {
            IOException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    public void updateResources(String id, LinuxContainerResources resources) throws IOException, NotFoundException {
        ContainerRecord record = get(id);
        if (record.isLive()) {
            runtimes.require(record.runtimeHandler()).update(record.id(), specs.resourcesJson(resources));
        }
        store.put(record.withResources(ContainerConfigs.resources(resources)));
    }

    public ExecResult execSync(String id, List<String> command, Duration timeout)
            throws IOException, NotFoundException, ConflictException {
        ContainerRecord record = get(id);
        if (record.state() != ContainerState.RUNNING) {
            throw new ConflictException(
                    ConflictException.Kind.WRONG_STATE,
                    "container " + record.id() + " is not running (" + record.state() + ")");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("ExecSync needs a command");
        }
        return runtimes.require(record.runtimeHandler()).exec(record.id(), command, timeout, EXEC_SYNC_OUTPUT_LIMIT);
    }

    /**
     * kubelet rotated the log file away; conmon reopens its log path when told through its control fifo
     * (message 2, as CRI-O sends it). Returns once the new file exists.
     */
    public void reopenLog(String id) throws IOException, NotFoundException, ConflictException {
        ContainerRecord record = get(id);
        if (record.state() != ContainerState.RUNNING) {
            throw new ConflictException(
                    ConflictException.Kind.WRONG_STATE,
                    "container " + record.id() + " is not running (" + record.state() + ")");
        }
        Path control = paths.bundle(record.id()).resolve("ctl");
        // conmon holds the fifo open for reading while it runs, so opening it for writing does not block
        try (var out = Files.newOutputStream(control, StandardOpenOption.WRITE)) {
            out.write("2 0 0\n".getBytes(StandardCharsets.US_ASCII));
        }
        Path log = Path.of(record.metadata().logPath());
        long deadline = System.nanoTime() + LOG_REOPEN_WAIT.toNanos();
        while (!Files.exists(log)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("conmon did not reopen " + log + " within " + LOG_REOPEN_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + log, e);
            }
        }
    }
}
