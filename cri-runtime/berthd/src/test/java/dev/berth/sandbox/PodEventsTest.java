package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.TestRecords;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PodEventsTest {

    @Test
    void allTellsEachListenerInTurnAndAListenerHearsOnlyWhatItOverrides() {
        List<String> heard = new CopyOnWriteArrayList<>();
        PodEvents everything = new PodEvents() {
            @Override
            public void created(String containerId, String sandboxId) {
                heard.add("first created " + containerId);
            }

            @Override
            public void podDeleted(SandboxRecord removed) {
                heard.add("first podDeleted " + removed.id());
            }
        };
        PodEvents deletions = new PodEvents() {
            @Override
            public void deleted(String containerId, String sandboxId) {
                heard.add("second deleted " + containerId);
            }

            @Override
            public void podDeleted(SandboxRecord removed) {
                heard.add("second podDeleted " + removed.id());
            }
        };
        PodEvents both = PodEvents.all(List.of(everything, deletions));

        both.created("c1", "p1");
        both.started("c1", "p1");
        both.deleted("c1", "p1");
        both.podDeleted(TestRecords.pod("p1", "web", SandboxState.NOTREADY, "/berth/p1"));

        assertThat(heard)
                .containsExactly(
                        "first created c1", "second deleted c1", "first podDeleted p1", "second podDeleted p1");
    }
}
