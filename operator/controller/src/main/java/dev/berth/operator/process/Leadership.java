package dev.berth.operator.process;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.net.HttpURLConnection;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's view of the leader lease. JOSDK's own reaction to a lost lease is System.exit from its
 * elector thread, which would also fire when we give the lease up on a graceful stop; this tracker tells
 * the two apart and only calls {@code onLost} for a lease taken away while we still meant to lead.
 *
 * <p>JOSDK cancels Fabric8's elector with {@code releaseOnCancel} hard-wired to false, so a stopped leader
 * would keep the Lease until it expires (15 s) and no replica would reconcile meanwhile. {@link #release}
 * gives it up after the controllers have stopped, as client-go's {@code ReleaseOnCancel} does.
 */
public final class Leadership {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final String identity;
    private final Runnable onLost;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public Leadership(String identity, Runnable onLost) {
        this.identity = identity;
        this.onLost = onLost;
    }

    public LeaderCallbacks callbacks() {
        return new LeaderCallbacks(this::started, this::stopped, this::newLeader);
    }

    public boolean isLeader() {
        return leading.get();
    }

    /** Called before the operator stops, so giving up the lease is not taken for losing it. */
    public void stopping() {
        stopping.set(true);
    }

    /**
     * Empties the Lease's holder if this replica still holds it, so a standby takes it at its next retry
     * (every 2–4.4 s). Call only once no reconciliation runs any more: the next leader may start at once. A
     * Lease another replica took meanwhile is left alone (the update carries the resourceVersion read).
     */
    public void release(KubernetesClient client, String namespace, String leaseName) {
        try {
            Lease lease =
                    client.leases().inNamespace(namespace).withName(leaseName).get();
            if (lease == null
                    || lease.getSpec() == null
                    || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            client.resource(new LeaseBuilder(lease)
                            .editSpec()
                            .withHolderIdentity(null)
                            .withLeaseDurationSeconds(1)
                            .withAcquireTime(now)
                            .withRenewTime(now)
                            .endSpec()
                            .build())
                    .update();
            log.info("{} released the leader lease {}/{}", identity, namespace, leaseName);
        } catch (RuntimeException e) {
            if (e instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                log.info("{} left lease {}/{} alone: it changed while being released", identity, namespace, leaseName);
            } else {
                log.warn(
                        "{} could not release lease {}/{}; a standby takes it at expiry: {}",
                        identity,
                        namespace,
                        leaseName,
                        e.toString());
            }
        }
    }

    private void started() {
        leading.set(true);
        log.info("{} took the leader lease; controllers start", identity);
    }

    private void stopped() {
        leading.set(false);
        if (stopping.get()) {
            log.info("{} stopped leading", identity);
            return;
        }
        log.error("{} lost the leader lease while running; exiting so that a fresh start re-elects", identity);
        onLost.run();
    }

    private void newLeader(String holder) {
        log.info("leader is now {}", holder);
    }
}
