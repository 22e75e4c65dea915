package dev.berth.daemon;

import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerRecovery;
import dev.berth.sandbox.SandboxRecovery;
import dev.berth.store.IdLocks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the records with the node after a start, in two parts. {@link #start} first does what needs no
 * program, so that whatever a client sees from then on is consistent: half-made pods and containers are shown
 * NOTREADY / EXITED, owing their removal, and every container's layers are leased. Then the slow part (CNI DEL,
 * runc, unmounts) runs pod by pod, a bounded number at once, each under its pod's lock so no CRI call on the pod
 * interleaves with it, while the socket may already serve.
 */
final class StartupRecovery {

    private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

    private final ContainerRecovery containers;
    private final SandboxRecovery sandboxes;
    private final IdLocks podLocks;
    private final int parallelism;

    StartupRecovery(ContainerRecovery containers, SandboxRecovery sandboxes, IdLocks podLocks, int parallelism) {
        this.containers = containers;
        this.sandboxes = sandboxes;
        this.podLocks = podLocks;
        this.parallelism = parallelism;
    }

    /** Recovery under way; {@link #done} completes when every pod is recovered (or has failed and was logged). */
    record Running(CompletableFuture<Void> done, ExecutorService pool) implements AutoCloseable {

        /** Waits for recovery, at most {@code limit}; returns whether it is complete. */
        boolean awaitAtMost(Duration limit) {
            try {
                done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                return true;
            }
        }

        /** Stops what has not started yet; a pod's recovery in progress is interrupted. */
        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    Running start() {
        long started = System.nanoTime();
        List<ContainerRecord> records = containers.prepare();
        List<String> owing = sandboxes.prepare();
        Map<String, List<ContainerRecord>> byPod = new LinkedHashMap<>();
        for (ContainerRecord record : records) {
            byPod.computeIfAbsent(record.sandboxId(), id -> new ArrayList<>()).add(record);
        }
        Set<String> pods = new LinkedHashSet<>(byPod.keySet());
        pods.addAll(owing);
        log.info(
                "recovering {} containers and {} pods owing a removal, {} pods at once",
                records.size(),
                owing.size(),
                parallelism);
        ExecutorService pool = Executors.newFixedThreadPool(
                parallelism, Thread.ofVirtual().name("berth-recovery-", 0).factory());
        Set<String> owingPods = Set.copyOf(owing);
        CompletableFuture<?>[] tasks = pods.stream()
                .map(pod -> CompletableFuture.runAsync(
                        () -> recoverPod(pod, byPod.getOrDefault(pod, List.of()), owingPods.contains(pod)), pool))
                .toArray(CompletableFuture[]::new);
        CompletableFuture<Void> done = CompletableFuture.allOf(tasks)
                .thenRunAsync(
                        () -> {
                            try {
                                containers.removeOrphans();
                            } catch (IOException | RuntimeException e) {
                                log.warn("removing orphaned containers failed: {}", e.toString());
                            }
                            log.info(
                                    "recovery complete in {} ms: {} containers, {} pods owing a removal",
                                    (System.nanoTime() - started) / 1_000_000,
                                    records.size(),
                                    owing.size());
                        },
                        pool);
        done.whenComplete((ignored, failure) -> pool.shutdown());
        return new Running(done, pool);
    }

    private void recoverPod(String pod, List<ContainerRecord> records, boolean owesRemoval) {
        try (IdLocks.Held held = podLocks.lock(pod)) {
            for (ContainerRecord record : records) {
                containers.recover(record);
            }
            if (owesRemoval) {
                sandboxes.recover(pod);
            }
        }
    }
}
