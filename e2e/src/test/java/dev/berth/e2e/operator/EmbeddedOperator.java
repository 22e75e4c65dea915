package dev.berth.e2e.operator;

import dev.berth.image.registry.RegistryConfig;
import dev.berth.operator.process.BerthControllers;
import dev.berth.operator.process.Mode;
import dev.berth.operator.process.OperatorProcess;
import dev.berth.operator.process.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator as OperatorMain runs it (same OperatorProcess, same built-in reconcilers from
 * BerthControllers, no registry mirrors), inside the test JVM; elected through a Lease in the test's namespace.
 */
public final class EmbeddedOperator implements AutoCloseable {
    private final OperatorProcess process;
    private final AtomicInteger lostLeadership = new AtomicInteger();

    private EmbeddedOperator(OperatorProcess process) {
        this.process = process;
    }

    /**
     * Starts it and waits until it leads; takes ownership of {@code client} (closed on stop).
     * {@code serverSideApply} false for the Fabric8 mock server, which has no server-side apply.
     */
    public static EmbeddedOperator start(KubernetesClient client, String leaseNamespace, boolean serverSideApply)
            throws IOException {
        EmbeddedOperator[] holder = new EmbeddedOperator[1];
        OperatorSettings defaults = OperatorSettings.defaults(
                        "berth-e2e-" + ProcessHandle.current().pid())
                .withLeaseNamespace(leaseNamespace);
        OperatorSettings settings = serverSideApply ? defaults : defaults.withoutServerSideApply();
        OperatorProcess process = new OperatorProcess(
                Mode.OPERATOR,
                settings,
                client,
                new BerthControllers(RegistryConfig.empty(), Clock.systemUTC()),
                () -> holder[0].lostLeadership.incrementAndGet());
        EmbeddedOperator operator = new EmbeddedOperator(process);
        holder[0] = operator;
        try {
            process.start();
            Await.until(
                    "the operator to take the lease " + leaseNamespace + "/" + settings.leaseName(),
                    Duration.ofSeconds(30),
                    () -> process.isLeader() ? null : "not leader");
        } catch (IOException | RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
        return operator;
    }

    public int lostLeadership() {
        return lostLeadership.get();
    }

    @Override
    public void close() {
        process.close();
    }
}
