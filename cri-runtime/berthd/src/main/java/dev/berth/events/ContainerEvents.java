package dev.berth.events;

import dev.berth.container.ContainerRecord;
import dev.berth.sandbox.PodEvents;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.store.RecordStore;
import dev.berth.store.Timestamps;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans container and pod lifecycle events out to every subscriber (kubelet's GetContainerEvents streams).
 * Each subscriber has a bounded buffer: one that falls behind by more than it holds is dropped, and learns
 * so, rather than berthd keeping an unbounded backlog for it. With no subscriber, publishing costs nothing.
 */
public final class ContainerEvents implements PodEvents {

    private static final Logger log = LoggerFactory.getLogger(ContainerEvents.class);

    private final RecordStore<SandboxRecord> sandboxes;
    private final RecordStore<ContainerRecord> containers;
    private final int bufferPerSubscriber;
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();

    public ContainerEvents(
            RecordStore<SandboxRecord> sandboxes, RecordStore<ContainerRecord> containers, int bufferPerSubscriber) {
        if (bufferPerSubscriber < 1) {
            throw new IllegalArgumentException("a subscriber needs room for at least one event");
        }
        this.sandboxes = sandboxes;
        this.containers = containers;
        this.bufferPerSubscriber = bufferPerSubscriber;
    }

    /** Publishes with the pod as the stores hold it now. */
    public void publish(String containerId, String sandboxId, ContainerEvent.Type type) {
        if (subscribers.isEmpty()) {
            return;
        }
        broadcast(new ContainerEvent(
                containerId,
                sandboxId,
                type,
                Timestamps.nowNanos(),
                sandboxes.get(sandboxId).orElse(null),
                podContainers(sandboxId)));
    }

    @Override
    public void created(String containerId, String sandboxId) {
        publish(containerId, sandboxId, ContainerEvent.Type.CREATED);
    }

    @Override
    public void started(String containerId, String sandboxId) {
        publish(containerId, sandboxId, ContainerEvent.Type.STARTED);
    }

    @Override
    public void stopped(String containerId, String sandboxId) {
        publish(containerId, sandboxId, ContainerEvent.Type.STOPPED);
    }

    @Override
    public void deleted(String containerId, String sandboxId) {
        publish(containerId, sandboxId, ContainerEvent.Type.DELETED);
    }

    @Override
    public void podDeleted(SandboxRecord removed) {
        if (subscribers.isEmpty()) {
            return;
        }
        broadcast(new ContainerEvent(
                removed.id(),
                removed.id(),
                ContainerEvent.Type.DELETED,
                Timestamps.nowNanos(),
                removed,
                podContainers(removed.id())));
    }

    public Subscription subscribe() {
        Subscription subscription = new Subscription();
        subscribers.add(subscription);
        return subscription;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    private List<ContainerRecord> podContainers(String sandboxId) {
        return containers.all().stream()
                .filter(c -> c.sandboxId().equals(sandboxId))
                .toList();
    }

    private void broadcast(ContainerEvent event) {
        for (Subscription subscription : subscribers) {
            if (!subscription.queue.offer(event)) {
                log.warn(
                        "container event subscriber fell {} events behind; dropping it (it must reconnect and relist)",
                        bufferPerSubscriber);
                subscription.dropped = true;
                subscribers.remove(subscription);
            }
        }
    }

    /** One subscriber's buffer. Closing it unsubscribes. */
    public final class Subscription implements AutoCloseable {

        private final BlockingQueue<ContainerEvent> queue = new ArrayBlockingQueue<>(bufferPerSubscriber);
        private volatile boolean dropped;

        private Subscription() {}

        /**
         * The next event, or null after {@code timeoutMillis} without one. Events already buffered when the
         * subscriber was dropped are still handed out before {@link #dropped} matters.
         */
        public ContainerEvent poll(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** True once this subscriber fell too far behind: it gets no further events. */
        public boolean dropped() {
            return dropped;
        }

        @Override
        public void close() {
            subscribers.remove(this);
            queue.clear();
        }
    }
}
