package dev.berth.operator.process;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running operator or node agent: the JOSDK {@link Operator} with the mode's reconcilers, leader
 * election for the operator, and the health and metrics endpoints. {@link #close()} is the graceful stop
 * (SIGTERM): in-flight reconciliations finish, the lease is released, the client closed.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperatorProcess.class);
    private static final Duration RECONCILE_GRACE = Duration.ofSeconds(10);

    private final Mode mode;
    private final OperatorSettings settings;
    private final KubernetesClient client;
    private final List<Reconciler<?>> reconcilers;
    private final Leadership leadership;
    private final ReconcileMetrics metrics = new ReconcileMetrics();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private Operator operator;
    private HealthServer health;

    /**
     * @param onLostLeadership what to do when another replica takes the lease from a running operator
     *                         (OperatorMain exits; tests record it)
     */
    public OperatorProcess(
            Mode mode,
            OperatorSettings settings,
            KubernetesClient client,
            Controllers controllers,
            Runnable onLostLeadership) {
        this.mode = mode;
        this.settings = settings;
        this.client = client;
        this.leadership = new Leadership(settings.identity(), onLostLeadership);
        if (mode == Mode.NODE_AGENT
                && (settings.nodeName() == null || settings.nodeName().isBlank())) {
            throw new IllegalStateException("node-agent needs the node's name: set NODE_NAME or --node-name");
        }
        this.reconcilers = List.copyOf(controllers.create(mode, client, settings));
        if (reconcilers.isEmpty()) {
            throw new IllegalStateException("no reconcilers are registered for '" + mode.command() + "'");
        }
    }

    /** Starts the endpoints, then the operator; returns once the controllers (or the election) are running. */
    public synchronized void start() throws IOException {
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("an operator process starts once");
        }
        health = new HealthServer(settings.port(), new Probe(), metrics);
        health.start();
        operator = new Operator(this::configure);
        for (Reconciler<?> reconciler : reconcilers) {
            register(reconciler);
        }
        operator.start();
        log.info("{} {} started with {} reconciler(s)", mode.command(), settings.identity(), reconcilers.size());
    }

    @SuppressWarnings("unchecked")
    private <P extends HasMetadata> void register(Reconciler<?> reconciler) {
        operator.register((Reconciler<P>) reconciler);
    }

    private void configure(ConfigurationServiceOverrider o) {
        o.withKubernetesClient(client)
                .withMetrics(metrics)
                // closed by close(), after the lease is released through it
                .withCloseClientOnStop(false)
                .withReconciliationTerminationTimeout(RECONCILE_GRACE)
                // The chart installs the CRDs; the check needs cluster-wide CRD read rights the operator should not
                // have.
                .checkingCRDAndValidateLocalModel(false);
        ServerSideApply.configure(o, settings.serverSideApply());
        if (mode == Mode.OPERATOR) {
            o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                            .withLeaseNamespace(leaseNamespace())
                            .withIdentity(settings.identity())
                            .withLeaderCallbacks(leadership.callbacks())
                            .withExitOnStopLeading(false)
                            .build());
        }
    }

    /** The namespace of the lease: the settings', else the client's (kubeconfig context or in-cluster). */
    public String leaseNamespace() {
        if (settings.leaseNamespace() != null && !settings.leaseNamespace().isBlank()) {
            return settings.leaseNamespace();
        }
        String fromClient = client.getNamespace();
        return fromClient != null && !fromClient.isBlank() ? fromClient : "default";
    }

    /** The port the health and metrics endpoints listen on. */
    public int healthPort() {
        if (health == null) {
            throw new IllegalStateException("not started");
        }
        return health.port();
    }

    /** Whether this replica does the work: holds the lease, or is a node agent (no election). */
    public boolean isLeader() {
        return mode == Mode.NODE_AGENT ? started.get() && !closed.get() : leadership.isLeader();
    }

    public ReconcileMetrics metrics() {
        return metrics;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("{} {} stopping", mode.command(), settings.identity());
        leadership.stopping();
        boolean stopped = false;
        try {
            if (operator != null) {
                operator.stop();
            }
            stopped = true;
        } catch (RuntimeException e) {
            log.warn("stopping the operator failed: {}", e.toString());
        } finally {
            // Only once controllers and elector have stopped, so the next leader never overlaps this one; after a
            // failed stop the lease runs out instead.
            if (stopped && mode == Mode.OPERATOR) {
                leadership.release(client, leaseNamespace(), settings.leaseName());
            }
            client.close();
            closeReconcilers();
            if (health != null) {
                health.close();
            }
            terminated.countDown();
            log.info("{} {} stopped", mode.command(), settings.identity());
        }
    }

    /** After the stop, so no reconciliation still uses what a reconciler holds (the node agent's CRI channel). */
    private void closeReconcilers() {
        for (Reconciler<?> reconciler : reconcilers) {
            if (reconciler instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn(
                            "closing reconciler {} failed: {}",
                            reconciler.getClass().getName(),
                            e.toString());
                }
            }
        }
    }

    private final class Probe implements HealthProbe {
        @Override
        public boolean live() {
            return started.get() && !closed.get();
        }

        @Override
        public boolean ready() {
            if (!live() || operator == null) {
                return false;
            }
            // A standby replica runs no informers; it is ready to take over, which is all readiness means for it.
            return !isLeader() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
        }

        @Override
        public boolean leader() {
            return isLeader();
        }

        @Override
        public String describe() {
            if (closed.get()) {
                return "stopping";
            }
            if (operator == null || !live()) {
                return "starting";
            }
            if (mode == Mode.OPERATOR && !isLeader()) {
                return "standby, waiting for lease " + leaseNamespace() + "/" + settings.leaseName();
            }
            var unhealthy = operator.getRuntimeInfo().unhealthyEventSources();
            return unhealthy.isEmpty() ? mode.command() + " running" : "unhealthy event sources " + unhealthy.keySet();
        }
    }
}
