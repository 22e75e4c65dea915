package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.HostCgroups;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OciRuntimeTest {

    private static final int LIMIT = 1024 * 1024;

    private RuntimeFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = RuntimeFixture.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void running(String id) throws Exception {
        fixture.create(id, List.of("sleep", "1000"));
        fixture.runtime.start(id);
    }

    @Test
    void execReturnsOutputAndExitCode() throws Exception {
        running("exec");

        ExecResult result = fixture.runtime.exec(
                "exec", List.of("sh", "-c", "echo out; echo err >&2; exit 7"), Duration.ofSeconds(10), LIMIT);

        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(new String(result.stdout(), StandardCharsets.UTF_8)).isEqualTo("out\n");
        assertThat(new String(result.stderr(), StandardCharsets.UTF_8)).isEqualTo("err\n");
    }

    @Test
    void execTimesOutAndKillsTheExecutedProcess() throws Exception {
        running("slow");

        long start = System.nanoTime();
        ExecResult result = fixture.runtime.exec("slow", List.of("sleep", "100"), Duration.ofSeconds(1), LIMIT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        assertThat(processesInCgroup(fixture.cgroupPath("slow"), "sleep\0" + "100\0"))
                .isEmpty();
        assertThat(fixture.runtime.state("slow").orElseThrow().status()).isEqualTo("running");
    }

    @Test
    void execOutputIsBytesAndEachStreamIsCutAtTheLimit() throws Exception {
        running("bytes");

        ExecResult result = fixture.runtime.exec(
                "bytes",
                List.of("sh", "-c", "printf '\\377\\376\\000x'; head -c 300000 /dev/zero >&2"),
                Duration.ofSeconds(10),
                100_000);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).containsExactly(0xff, 0xfe, 0x00, 'x');
        assertThat(result.stderr()).hasSize(100_000);
    }

    @Test
    void execTimeoutAlsoKillsWhatTheExecutedShellStarted() throws Exception {
        running("tree");

        ExecResult result = fixture.runtime.exec(
                "tree", List.of("sh", "-c", "sleep 200 & sleep 201; echo never"), Duration.ofSeconds(1), LIMIT);

        assertThat(result.timedOut()).isTrue();
        assertThat(processesInCgroup(fixture.cgroupPath("tree"), "sleep\0" + "200\0"))
                .isEmpty();
        assertThat(processesInCgroup(fixture.cgroupPath("tree"), "sleep\0" + "201\0"))
                .isEmpty();
    }

    @Test
    void execInAStoppedOrUnknownContainerFailsClearly() throws Exception {
        assertThatThrownBy(() -> fixture.runtime.exec("ghost", List.of("true"), Duration.ofSeconds(5), LIMIT))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("ghost does not exist");

        fixture.create("created", List.of("sleep", "1000"));
        assertThatThrownBy(() -> fixture.runtime.exec("created", List.of("true"), Duration.ofSeconds(5), LIMIT))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("it is created");
    }

    @Test
    void stateOfAnUnknownContainerIsEmpty() throws Exception {
        assertThat(fixture.runtime.state("never-created")).isEmpty();
    }

    @Test
    void deleteIsIdempotent() throws Exception {
        fixture.runtime.delete("never-created", false);
        fixture.runtime.delete("never-created", true);
        running("del");

        assertThatThrownBy(() -> fixture.runtime.delete("del", false))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("running");
        fixture.runtime.delete("del", true);
        fixture.runtime.delete("del", true);
        fixture.runtime.delete("del", false);

        assertThat(fixture.runtime.state("del")).isEmpty();
        assertThat(fixture.awaitExit("del")).isEqualTo(137);
    }

    @Test
    void killingAStoppedOrDeletedContainerIsNotAnError() throws Exception {
        fixture.create("short", List.of("true"));
        fixture.runtime.start("short");
        assertThat(fixture.awaitExit("short")).isZero();

        fixture.runtime.kill("short", 9, false);
        fixture.runtime.kill("short", 15, true);
        fixture.runtime.delete("short", false);
        fixture.runtime.kill("short", 9, false);
    }

    @Test
    void updateAppliesAMemoryLimitToTheContainersCgroup() throws Exception {
        running("mem");
        Path limit = HostCgroups.detect().memoryLimit(fixture.cgroupPath("mem"));

        fixture.runtime.update("mem", "{\"memory\":{\"limit\":67108864}}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(limit).strip()).isEqualTo("67108864");
    }

    @Test
    void updateWithBadJsonFailsWithTheRuntimesMessage() throws Exception {
        running("badjson");

        assertThatThrownBy(() -> fixture.runtime.update("badjson", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("runc update badjson failed");
    }

    @Test
    void listShowsEveryContainerWithItsStatus() throws Exception {
        assertThat(fixture.runtime.list()).isEmpty();
        running("one");
        fixture.create("two", List.of("sleep", "1000"));

        assertThat(fixture.runtime.list())
                .extracting(RuntimeState::id, RuntimeState::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("one", "running"),
                        org.assertj.core.groups.Tuple.tuple("two", "created"));
    }

    /** Host pids whose command line is exactly {@code cmdline} and whose memory cgroup is the container's. */
    private static List<Integer> processesInCgroup(String cgroupPath, String cmdline) throws Exception {
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1)
                                    .equals(cmdline)
                            && Files.readString(proc.resolve("cgroup")).contains(cgroupPath)) {
                        found.add(Integer.parseInt(proc.getFileName().toString()));
                    }
                } catch (java.io.IOException gone) {
                    // exited while we looked
                }
            }
        }
        return found;
    }
}
