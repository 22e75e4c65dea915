package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProcessesTest {

    @Test
    void withArgumentMatchesWholeArgumentsOnly(@TempDir Path proc) throws Exception {
        cmdline(proc, 11, "conmon", "-c", "abc123", "-u", "abc123");
        cmdline(proc, 12, "runc", "--root=/run/x", "create", "abc1234");
        cmdline(proc, 13, "runc", "delete", "--force", "abc123");
        Files.createDirectories(proc.resolve("self"));

        assertThat(new HostProcesses(proc).withArgument("abc123")).containsExactlyInAnyOrder(11, 13);
    }

    @Test
    void withArgumentFindsALiveProcessByItsArgument() throws Exception {
        String marker = UUID.randomUUID().toString();
        // a shell blocked in its read builtin never forks: a child forked for sleep carried the marker too until
        // it exec'd (seen once in CI)
        Process process = new ProcessBuilder("sh", "-c", "read line", marker).start();
        try {
            assertThat(new HostProcesses().withArgument(marker)).containsExactly((int) process.pid());
            assertThat(new HostProcesses().killTreeAndWait((int) process.pid(), java.time.Duration.ofSeconds(5)))
                    .isTrue();
            assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(new HostProcesses().withArgument(marker)).isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    private static void cmdline(Path proc, int pid, String... argv) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.write(dir.resolve("cmdline"), (String.join("\0", List.of(argv)) + "\0").getBytes(StandardCharsets.UTF_8));
    }
}
