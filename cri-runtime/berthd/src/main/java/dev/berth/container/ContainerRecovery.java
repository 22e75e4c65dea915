package dev.berth.container;

import dev.berth.store.Timestamps;
import dev.berth.runtime.OciRuntime;
import dev.berth.runtime.RuntimeState;
import dev.berth.store.RecordStore;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart (berthd killed at any point): containers that were half-created are rolled back,
 * the rest are reconciled with what conmon and runc say now, and their image layers leased again before
 * anything may collect garbage.
 */
public final class ContainerRecovery {

    private static final Logger log = LoggerFactory.getLogger(ContainerRecovery.class);

    private final RecordStore<ContainerRecord> store;
    private final ContainerObserver observer;
    private final ContainerTeardown teardown;
    private final RuntimeHandlers runtimes;
    private final ContainerLeases leases;

    public ContainerRecovery(RecordStore<ContainerRecord> store, ContainerObserver observer, ContainerTeardown teardown,
            RuntimeHandlers runtimes, ContainerLeases leases) {
        this.store = store;
        this.observer = observer;
        this.teardown = teardown;
        this.runtimes = runtimes;
        this.leases = leases;
    }

    public void recover() throws IOException {
        for (ContainerRecord record : store.all()) {
            try {
                recover(record);
            } catch (IOException | RuntimeException e) {
                log.warn("container {} of pod {}: recovery failed: {}", record.id(), record.sandboxId(), e.toString());
            }
        }
    }

    private void recover(ContainerRecord record) throws IOException {
        if (record.state() == ContainerState.CREATING) {
            log.info("rolling back container {} of pod {}: its creation was cut short", record.id(), record.sandboxId());
            teardown.remove(record);
            return;
        }
        leases.hold(record.id(), record.snapshots());
        ContainerRecord current = observer.observe(record);
        if (!current.isLive()) {
            return;
        }
        Optional<OciRuntime> runtime = runtimes.find(current.runtimeHandler());
        Optional<RuntimeState> state = runtime.isPresent() ? runtime.get().state(current.id()) : Optional.empty();
        String status = state.map(RuntimeState::status).orElse("missing");
        switch (status) {
            case "running", "paused" -> {
                if (current.state() == ContainerState.CREATED) {
                    // killed between runc start and writing the record: it did start
                    store.put(current.started(Timestamps.nowNanos()));
                }
            }
            case "created" -> {
                // still waiting for StartContainer
            }
            default -> {
                ContainerRecord again = observer.observe(current);
                if (again.isLive()) {
                    log.warn("container {} of pod {} is gone from the runtime ({}) and conmon left no exit code",
                            current.id(), current.sandboxId(), status);
                    store.put(current.exited(Timestamps.nowNanos(), 255, "Error",
                            "the container's process disappeared while berthd was down; its exit code is unknown"));
                }
            }
        }
    }
}
