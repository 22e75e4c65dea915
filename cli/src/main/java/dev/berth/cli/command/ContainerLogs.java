package dev.berth.cli.command;

import dev.berth.cli.CliException;
import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.Containers;
import dev.berth.cli.container.State;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Where a container's CRI log file is, and whether it may still grow. */
final class ContainerLogs {

    private ContainerLogs() {}

    static Path path(CliContainer container) {
        String logPath = container
                .status()
                .map(s -> s.getLogPath())
                .filter(p -> !p.isEmpty())
                .orElseThrow(() -> new CliException("container " + container.name() + " has no log file"));
        return Path.of(logPath);
    }

    static boolean running(Containers containers, CliContainer container) {
        return containers
                .lookup(container.id())
                .map(c -> c.state() == State.RUNNING || c.state() == State.CREATED)
                .orElse(false);
    }

    static Instant since(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.matches("[0-9]+[smh]")) {
                return Instant.now().minus(Duration.parse("PT" + value.toUpperCase(Locale.ROOT)));
            }
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new CliException(
                    "--since takes a duration (10s, 5m, 2h) or a time (2024-01-02T15:04:05Z), got " + text);
        }
    }
}
