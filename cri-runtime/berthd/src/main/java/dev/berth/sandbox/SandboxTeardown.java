package dev.berth.sandbox;

import dev.berth.network.PodNetwork;
import dev.berth.network.PodNetworkRequest;
import dev.berth.store.CleanupSteps;
import dev.berth.timing.PhaseTimer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases what a pod holds on the node once its containers are gone: network (CNI DEL), the pod PID
 * namespace's init, the pinned namespaces, the shm tmpfs. Each step tolerates what is already gone, so a
 * rollback of a half-made pod and a repeated stop are the same call.
 */
public final class SandboxTeardown {

    private static final Logger log = LoggerFactory.getLogger(SandboxTeardown.class);
    /** The CNI DEL's thread: it mostly waits for plugin processes or netlink. */
    private static final Executor BESIDE =
            runnable -> Thread.ofVirtual().name("berth-cni-del").start(runnable);

    private final PodNetwork network;
    private final PodNamespaces pinner;
    private final PidNamespaceHolder pidHolder;
    private final PodFiles files;

    public SandboxTeardown(PodNetwork network, PodNamespaces pinner, PidNamespaceHolder pidHolder, PodFiles files) {
        this.network = network;
        this.pinner = pinner;
        this.pidHolder = pidHolder;
        this.files = files;
    }

    /**
     * Every step runs even when one fails. The one exception is the pinned namespaces after a failed CNI DEL:
     * they stay, so the retry runs DEL against the same netns (without it the bridge plugin cannot find the
     * pod's addresses and leaves its rules behind).
     */
    public void release(SandboxRecord sandbox) throws IOException {
        release(sandbox, () -> {});
    }

    /**
     * {@link #release(SandboxRecord)} with {@code alongside} (StopPodSandbox's kill of the containers) run on the
     * calling thread while the network is torn down: a CNI DEL needs nothing from the containers, which lose their
     * network a moment before they die. The rest waits for both; if {@code alongside} fails, its failure is thrown
     * and nothing else is released, as the containers may still run.
     */
    public void release(SandboxRecord sandbox, CleanupSteps.Step alongside) throws IOException {
        SandboxStatus status = sandbox.status();
        PhaseTimer timer = new PhaseTimer();
        CleanupSteps steps = new CleanupSteps();
        CompletableFuture<Boolean> detaching = CompletableFuture.supplyAsync(
                () -> status.netnsPath() == null
                        || steps.run(
                                "CNI DEL",
                                () -> network.tearDown(networkRequest(sandbox, Path.of(status.netnsPath())))),
                BESIDE);
        CleanupSteps first = new CleanupSteps();
        boolean stopped = first.run("stopping the containers", alongside);
        boolean detached = detaching.join();
        timer.lap("network");
        if (!stopped) {
            if (steps.failed()) {
                log.warn("pod {}: its CNI DEL failed too; the removal's retry runs it again", sandbox.id());
            }
            first.finish();
        }
        steps.run(
                "pod PID namespace",
                () -> pidHolder.release(
                        status.pidNamespaceHolder(), status.pidnsPath() == null ? null : Path.of(status.pidnsPath())));
        timer.lap("pid-holder");
        if (detached) {
            steps.run("pinned namespaces", () -> pinner.release(sandbox.id()));
            timer.lap("namespaces");
        }
        steps.run("shm", () -> files.unmountShm(sandbox.id()));
        timer.lap("shm");
        log.debug("pod {} SandboxTeardown phases ms: {}", sandbox.id(), timer.summary());
        if (steps.failed()) {
            log.warn("pod {}: releasing what it holds failed{}", sandbox.id(), detached ? "" : "; its netns stays");
        }
        steps.finish();
    }

    static PodNetworkRequest networkRequest(SandboxRecord sandbox, Path netns) {
        SandboxMetadata pod = sandbox.metadata();
        return new PodNetworkRequest(pod.id(), pod.name(), pod.namespace(), pod.uid(), netns, pod.portMappings());
    }
}
