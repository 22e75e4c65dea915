package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {

    @TempDir
    Path dir;

    @Test
    void readyReachesASocketAtAPath() throws Exception {
        try (NotifySocketListener listener =
                NotifySocketListener.bind(dir.resolve("notify").toString())) {
            SystemdNotifier notifier = new SystemdNotifier(Map.of("NOTIFY_SOCKET", listener.name()));

            notifier.notify("READY=1\nSTATUS=serving");

            assertThat(notifier.active()).isTrue();
            assertThat(listener.receive(Duration.ofSeconds(5))).isEqualTo("READY=1\nSTATUS=serving");
        }
    }

    @Test
    void anAtNameIsInTheAbstractNamespace() throws Exception {
        String name = "@berth-notify-test-" + UUID.randomUUID();
        try (NotifySocketListener listener = NotifySocketListener.bind(name)) {
            new SystemdNotifier(Map.of("NOTIFY_SOCKET", name)).notify("READY=1");

            assertThat(listener.receive(Duration.ofSeconds(5))).isEqualTo("READY=1");
            // the kernel lists abstract names with a leading @; a path socket would show its path
            assertThat(Files.readString(Path.of("/proc/net/unix"))).contains(" " + name + "\n");
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() throws Exception {
        SystemdNotifier notifier = new SystemdNotifier(Map.of());

        notifier.notify("READY=1");

        assertThat(notifier.active()).isFalse();
    }

    @Test
    void aSocketNobodyListensOnIsAnErrorNamingIt() {
        String missing = dir.resolve("nobody").toString();

        assertThatThrownBy(() -> new SystemdNotifier(Map.of("NOTIFY_SOCKET", missing)).notify("READY=1"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing);
    }
}
