package dev.berth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.NamespaceCalls;
import dev.berth.testkit.Privileges;
import dev.berth.testkit.registry.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespacePinnerTest {

    @TempDir
    Path nsRoot;

    private NamespacePinner pinner;

    @BeforeEach
    void setUp() {
        Privileges.requireRoot();
        pinner = new NamespacePinner(new NamespaceCalls(), nsRoot);
    }

    private static long inode(Path path) throws Exception {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    private static boolean mounted(Path path) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(" " + path + " "));
    }

    @Test
    void pinnedNamespacesOutliveTheirThreadAndAreNotTheHosts() throws Exception {
        PinnedNamespaces pinned = pinner.pin("pod-a", "web-0", EnumSet.allOf(PodNamespace.class));

        for (PodNamespace kind : PodNamespace.values()) {
            Path file = pinned.paths().get(kind);
            assertThat(mounted(file)).as(kind + " is a mount point").isTrue();
            assertThat(inode(file))
                    .as(kind + " differs from the host's")
                    .isNotEqualTo(inode(Path.of("/proc/self/ns", kind.procName())));
        }
        String hostname =
                Processes.run(List.of("nsenter", "--uts=" + pinned.paths().get(PodNamespace.UTS), "hostname"), 10);
        assertThat(hostname.strip()).isEqualTo("web-0");
        String devices = Processes.run(
                List.of("nsenter", "--net=" + pinned.paths().get(PodNamespace.NET), "cat", "/proc/net/dev"), 10);
        assertThat(devices.lines().skip(2).map(l -> l.strip().split(":")[0])).containsExactly("lo");

        pinner.release("pod-a");
        pinner.release("pod-a");

        assertThat(nsRoot.resolve("pod-a")).doesNotExist();
        assertThat(mounted(nsRoot.resolve("pod-a/net"))).isFalse();
    }

    @Test
    void onlyTheRequestedKindsArePinned() throws Exception {
        PinnedNamespaces pinned = pinner.pin("pod-b", "", EnumSet.of(PodNamespace.IPC));

        assertThat(pinned.paths()).containsOnlyKeys(PodNamespace.IPC);
        assertThat(nsRoot.resolve("pod-b/net")).doesNotExist();
        pinner.release("pod-b");
        assertThat(nsRoot.resolve("pod-b")).doesNotExist();
    }

    @Test
    void aFailedPinLeavesNothingBehind() throws Exception {
        Files.createDirectories(nsRoot.resolve("pod-c"));
        Files.createFile(nsRoot.resolve("pod-c/uts"));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> pinner.pin("pod-c", "x", EnumSet.of(PodNamespace.NET, PodNamespace.UTS)));

        assertThat(nsRoot.resolve("pod-c")).doesNotExist();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(nsRoot.toString()));
    }
}
