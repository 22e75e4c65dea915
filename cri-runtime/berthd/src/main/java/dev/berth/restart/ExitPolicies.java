package dev.berth.restart;

import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerService;
import dev.berth.container.ContainerState;
import dev.berth.oci.InvalidContainerConfigException;
import dev.berth.sandbox.SandboxConfigs;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxService;
import dev.berth.sandbox.SandboxState;
import dev.berth.store.ConflictException;
import dev.berth.store.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docker's {@code --restart} and {@code --rm -d} for the CLI's pods (see {@link CliPodAnnotations}): when a container
 * of such a pod exits, berthd makes it again in the same pod (a CRI container never starts twice, so as kubelet
 * does, the next attempt from the same config), after docker's back-off: 100 ms doubling to a minute, back to 100 ms
 * once a run lasted 10 s. The new container waits out the back-off CREATED, so clients see a restart pending. A
 * container a client stopped is never started again; a pod to remove on exit is removed once nothing restarts it.
 */
public final class ExitPolicies implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExitPolicies.class);
    private static final long FIRST_DELAY_MS = 100;
    private static final long MAX_DELAY_MS = Duration.ofMinutes(1).toMillis();
    private static final long RESET_AFTER_NANOS = Duration.ofSeconds(10).toNanos();

    private final ExitRelay relay;
    private final ContainerService containers;
    private final SandboxService sandboxes;
    private final ScheduledExecutorService delayed;
    private final Thread thread;

    public ExitPolicies(ExitRelay relay, ContainerService containers, SandboxService sandboxes) {
        this.relay = relay;
        this.containers = containers;
        this.sandboxes = sandboxes;
        this.delayed = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("berth-restart-delay").factory());
        this.thread = Thread.ofVirtual().name("berth-exit-policies").unstarted(this::run);
    }

    /** Acts on exits from here on, and starts the restarts a previous berthd left waiting out their back-off. */
    public void start() throws IOException {
        thread.start();
        for (ContainerRecord pending : containers.list(c -> c.state() == ContainerState.CREATED
                && c.metadata().annotations().containsKey(CliPodAnnotations.RESTART_COUNT))) {
            sandbox(pending.sandboxId())
                    .filter(s -> s.state() == SandboxState.READY)
                    .ifPresent(s -> delayed.execute(
                            () -> startPending(pending.id(), pending.metadata().createdAtNanos())));
        }
    }

    private void run() {
        try {
            while (true) {
                ExitRelay.Exit exit = relay.take();
                try {
                    handle(exit);
                } catch (IOException | RuntimeException e) {
                    log.warn(
                            "container {} of pod {}: acting on its exit failed: {}",
                            exit.containerId(),
                            exit.sandboxId(),
                            e.toString());
                }
            }
        } catch (InterruptedException e) {
            log.debug("exit policies stopped");
        }
    }

    private void handle(ExitRelay.Exit exit) throws IOException {
        SandboxRecord sandbox = sandbox(exit.sandboxId()).orElse(null);
        if (sandbox == null || !CliPodAnnotations.cliOwned(sandbox.metadata().labels())) {
            return;
        }
        ContainerRecord exited;
        try {
            exited = containers.get(exit.containerId());
        } catch (NotFoundException e) {
            return;
        }
        if (exited.isLive()) {
            return;
        }
        Map<String, String> annotations = sandbox.metadata().annotations();
        String named = annotations.getOrDefault(CliPodAnnotations.RESTART_POLICY, "");
        RestartPolicy policy = RestartPolicy.parse(named).orElseGet(() -> {
            log.warn("pod {}: unknown restart policy, not restarting", sandbox.id());
            return RestartPolicy.NO;
        });
        int restarts = CliPodAnnotations.intOf(exited.metadata().annotations(), CliPodAnnotations.RESTART_COUNT, 0);
        if (sandbox.state() == SandboxState.READY
                && !relay.wasStopRequested(exited.id())
                && !relay.podStoppedSince(sandbox.id(), exited.metadata().createdAtNanos())
                && policy.restarts(exited.status().exitCode(), restarts)) {
            restart(sandbox, exited, restarts + 1);
        } else if ("true".equals(annotations.get(CliPodAnnotations.AUTO_REMOVE))) {
            removePod(sandbox);
        }
    }

    private void restart(SandboxRecord sandbox, ContainerRecord exited, int restarts) throws IOException {
        if (exited.metadata().config() == null || sandbox.metadata().config() == null) {
            log.warn("container {}: made by an older berthd without its config kept, not restarting", exited.id());
            return;
        }
        long delay = delayMillis(exited);
        // the same log path: conmon appends, so the logs show every run, as docker's do
        Map<String, String> annotations = Map.of(
                CliPodAnnotations.RESTART_COUNT, Integer.toString(restarts),
                CliPodAnnotations.LAST_EXIT_CODE,
                        Integer.toString(exited.status().exitCode()),
                CliPodAnnotations.RESTART_DELAY_MS, Long.toString(delay));
        // a stop of the exited one while its successor is being made counts too: that stop waits for this step
        long chainSince = exited.metadata().createdAtNanos();
        relay.restarting(sandbox.id(), () -> {
            ContainerRecord created;
            try {
                created = containers.recreate(exited, SandboxConfigs.parse(sandbox.metadata()), annotations);
            } catch (NotFoundException
                    | ConflictException
                    | InvalidContainerConfigException
                    | IllegalStateException e) {
                log.warn("container {} of pod {}: cannot make it again: {}", exited.id(), sandbox.id(), e.getMessage());
                return;
            }
            if (relay.podStoppedSince(sandbox.id(), chainSince)) {
                containers.remove(created.id());
                log.info(
                        "container {} of pod {}: stopped by a client while its restart was made; not restarted",
                        exited.id(),
                        sandbox.id());
                return;
            }
            containers.remove(exited.id());
            log.info(
                    "container {} of pod {} exited with {}: restart {} as {} in {} ms",
                    exited.id(),
                    sandbox.id(),
                    exited.status().exitCode(),
                    restarts,
                    created.id(),
                    delay);
            delayed.schedule(() -> startPending(created.id(), chainSince), delay, TimeUnit.MILLISECONDS);
        });
    }

    private long delayMillis(ContainerRecord exited) {
        long ran = exited.status().finishedAtNanos() - exited.status().startedAtNanos();
        long previous = CliPodAnnotations.intOf(exited.metadata().annotations(), CliPodAnnotations.RESTART_DELAY_MS, 0);
        if (previous == 0 || ran >= RESET_AFTER_NANOS) {
            return FIRST_DELAY_MS;
        }
        return Math.min(previous * 2, MAX_DELAY_MS);
    }

    private void startPending(String containerId, long stopsSinceNanos) {
        try {
            ContainerRecord pending = containers.get(containerId);
            if (relay.wasStopRequested(containerId) || relay.podStoppedSince(pending.sandboxId(), stopsSinceNanos)) {
                return;
            }
            if (pending.state() == ContainerState.CREATED) {
                containers.start(containerId);
            }
        } catch (NotFoundException e) {
            log.debug("container {}: removed before its restart", containerId);
        } catch (IOException | RuntimeException | ConflictException e) {
            log.warn("container {}: restart failed: {}", containerId, e.toString());
        }
    }

    private void removePod(SandboxRecord sandbox) throws IOException {
        sandboxes.stop(sandbox.id());
        sandboxes.remove(sandbox.id());
        log.info("pod {} removed on its container's exit, as its auto-remove annotation asks", sandbox.id());
        removeLogDirectory(sandbox);
    }

    /** The log directory the CLI named in kubelet's layout for this pod, and no other. */
    private static void removeLogDirectory(SandboxRecord sandbox) {
        var meta = sandbox.metadata();
        Path expected = Path.of("/var/log/pods", meta.namespace() + "_" + meta.name() + "_" + meta.uid());
        try {
            String configured = SandboxConfigs.logDirectory(meta);
            if (!Path.of(configured).equals(expected) || !Files.isDirectory(expected)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(expected)) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("pod {}: its log directory stays: {}", sandbox.id(), e.toString());
        }
    }

    private Optional<SandboxRecord> sandbox(String id) {
        try {
            return Optional.of(sandboxes.get(id));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        delayed.shutdownNow();
    }
}
