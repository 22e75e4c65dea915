package dev.berth.operator.process;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's view of the leader lease. JOSDK's own reaction to a lost lease is System.exit from its
 * elector thread, which would also fire when we give the lease up on a graceful stop; this tracker tells
 * the two apart and only calls {@code onLost} for a lease taken away while we still meant to lead.
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

    private void started() {
        leading.set(true);
        log.info("{} took the leader lease; controllers start", identity);
    }

    private void stopped() {
        leading.set(false);
        if (stopping.get()) {
            log.info("{} released the leader lease", identity);
            return;
        }
        log.error("{} lost the leader lease while running; exiting so that a fresh start re-elects", identity);
        onLost.run();
    }

    private void newLeader(String holder) {
        log.info("leader is now {}", holder);
    }
}
