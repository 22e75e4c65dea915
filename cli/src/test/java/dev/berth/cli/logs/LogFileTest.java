package dev.berth.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsStreamsApartAndJoinsPartialLines() throws Exception {
        Path log = Files.writeString(dir.resolve("0.log"), """
                2024-01-02T03:04:05.000000001Z stdout P hel
                2024-01-02T03:04:05.000000002Z stdout F lo
                2024-01-02T03:04:05.000000003Z stderr F oops
                not a log line
                2024-01-02T03:04:06.000000000Z stdout F world
                """);
        new LogFile(log).print(new LogPrinter(out, err, false, null), -1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello\nworld\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
    }

    @Test
    void tailCountsWholeLinesAndTimestampsStartEachLine() throws Exception {
        Path log = Files.writeString(dir.resolve("0.log"), """
                2024-01-02T03:04:05Z stdout F one
                2024-01-02T03:04:06Z stdout P tw
                2024-01-02T03:04:07Z stdout F o
                """);
        new LogFile(log).print(new LogPrinter(out, err, true, null), 1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("2024-01-02T03:04:06Z two\n");
    }

    @Test
    void followReadsTheOldFileToItsEndThenTheNewOne() throws Exception {
        Path log = Files.writeString(dir.resolve("0.log"), "2024-01-02T03:04:05Z stdout F before\n");
        AtomicBoolean running = new AtomicBoolean(true);
        Thread follower = Thread.ofPlatform().start(() -> {
            try {
                new LogFile(log).follow(new LogPrinter(out, err, false, null), -1, running::get);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        // kubelet's rotation: a rename, a last write to the old file, then a new file at the path
        Path rotated = dir.resolve("0.log.20240102-030405");
        Files.move(log, rotated);
        Files.writeString(rotated, "2024-01-02T03:04:06Z stdout F late\n", StandardOpenOption.APPEND);
        Files.writeString(log, "2024-01-02T03:04:07Z stdout F after\n");
        Thread.sleep(300);
        running.set(false);
        follower.join(5_000);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("before\nlate\nafter\n");
    }
}
