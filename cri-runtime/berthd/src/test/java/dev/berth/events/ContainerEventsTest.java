package dev.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.container.ContainerRecord;
import dev.berth.container.ContainerRecordFormat;
import dev.berth.sandbox.SandboxRecord;
import dev.berth.sandbox.SandboxRecordFormat;
import dev.berth.store.Json;
import dev.berth.store.RecordStore;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerEventsTest {

    @TempDir
    Path dir;

    private ContainerEvents events;

    @BeforeEach
    void setUp() throws Exception {
        Json json = new Json();
        events = new ContainerEvents(
                new RecordStore<>(dir.resolve("sandboxes"), json, SandboxRecordFormat.format(), SandboxRecord::id),
                new RecordStore<>(dir.resolve("containers"), json, ContainerRecordFormat.format(), ContainerRecord::id),
                3);
    }

    @Test
    void everySubscriberGetsEveryEventInOrder() throws Exception {
        try (ContainerEvents.Subscription first = events.subscribe();
                ContainerEvents.Subscription second = events.subscribe()) {
            events.publish("c1", "p1", ContainerEvent.Type.CREATED);
            events.publish("c1", "p1", ContainerEvent.Type.STARTED);

            for (ContainerEvents.Subscription subscription : new ContainerEvents.Subscription[] {first, second}) {
                assertThat(subscription.poll(1000).type()).isEqualTo(ContainerEvent.Type.CREATED);
                assertThat(subscription.poll(1000).type()).isEqualTo(ContainerEvent.Type.STARTED);
                assertThat(subscription.poll(10)).isNull();
            }
        }
    }

    @Test
    void aSubscriberThatFallsBehindItsBufferIsDroppedAndTheOthersAreNot() throws Exception {
        try (ContainerEvents.Subscription slow = events.subscribe()) {
            for (int i = 0; i < 4; i++) {
                events.publish("c" + i, "p", ContainerEvent.Type.CREATED);
            }
            ContainerEvents.Subscription late = events.subscribe();
            events.publish("c9", "p", ContainerEvent.Type.STOPPED);

            assertThat(slow.dropped()).isTrue();
            assertThat(events.subscriberCount()).isEqualTo(1);
            assertThat(late.poll(1000).containerId()).isEqualTo("c9");
            late.close();
        }
    }

    @Test
    void closingASubscriptionUnsubscribesIt() {
        ContainerEvents.Subscription subscription = events.subscribe();

        subscription.close();

        assertThat(events.subscriberCount()).isZero();
    }
}
