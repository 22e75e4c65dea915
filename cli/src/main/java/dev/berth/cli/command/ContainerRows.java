package dev.berth.cli.command;

import dev.berth.cli.container.CliContainer;
import dev.berth.cli.container.CliLabels;
import dev.berth.cli.container.PortSpec;
import dev.berth.cli.format.Json;
import dev.berth.cli.format.Units;
import dev.berth.cri.v1.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A container in docker's words: its STATUS, COMMAND, PORTS and the fields of {@code ps --format}. */
final class ContainerRows {

    static final List<String> FIELDS =
            List.of("ID", "Image", "Command", "CreatedAt", "RunningFor", "Ports", "State", "Status", "Names", "Labels");

    private ContainerRows() {}

    static Map<String, String> row(CliContainer container, long nowMillis, boolean noTrunc) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("ID", noTrunc ? container.id() : container.shortId());
        row.put("Image", container.image());
        String command = command(container);
        row.put(
                "Command",
                "\"" + (noTrunc || command.length() <= 20 ? command : command.substring(0, 19) + "…") + "\"");
        row.put(
                "CreatedAt",
                Instant.ofEpochMilli(container.createdNanos() / 1_000_000).toString());
        row.put("RunningFor", Units.ago(container.createdNanos(), nowMillis));
        row.put("Ports", ports(container.ports()));
        row.put("State", container.state().word());
        row.put("Status", status(container, nowMillis));
        row.put("Names", container.name());
        row.put(
                "Labels",
                container.labels().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .sorted()
                        .collect(Collectors.joining(",")));
        return row;
    }

    /** {@code Up 2 hours}, {@code Exited (3) 5 seconds ago}, {@code Created}. */
    static String status(CliContainer container, long nowMillis) {
        if (container.status().isEmpty()) {
            return "Created";
        }
        ContainerStatus status = container.status().get();
        return switch (container.state()) {
            case RUNNING -> "Up " + Units.duration(since(status.getStartedAt(), nowMillis));
            case EXITED -> "Exited (" + status.getExitCode() + ") " + Units.ago(status.getFinishedAt(), nowMillis);
            case CREATED -> restarting(status, nowMillis);
            case UNKNOWN -> "Unknown";
        };
    }

    /** berthd made a container again under its restart policy and waits out the back-off before starting it. */
    private static String restarting(ContainerStatus status, long nowMillis) {
        String exitCode = status.getAnnotationsOrDefault(CliLabels.LAST_EXIT_CODE, "");
        if (!status.containsAnnotations(CliLabels.RESTART_COUNT) || exitCode.isEmpty()) {
            return "Created";
        }
        return "Restarting (" + exitCode + ") " + Units.ago(status.getCreatedAt(), nowMillis);
    }

    static String ports(List<PortSpec> ports) {
        return String.join(", ", ports.stream().map(PortSpec::display).toList());
    }

    private static String command(CliContainer container) {
        String annotation = container.pod().getAnnotationsOrDefault(CliLabels.COMMAND, "");
        if (annotation.isEmpty()) {
            return "";
        }
        try {
            return String.join(" ", Json.strings(Json.parse(annotation)));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Duration since(long epochNanos, long nowMillis) {
        return Duration.ofMillis(Math.max(0, nowMillis - epochNanos / 1_000_000));
    }
}
