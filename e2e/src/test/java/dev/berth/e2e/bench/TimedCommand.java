package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command's wall time and the CPU time of it and its children, as bash's {@code times} reports the children
 * it waited for: the program runs under {@code bash -c}, its stdout goes to stderr, and {@code times} alone
 * writes stdout.
 */
record TimedCommand(CommandRunner commands, Duration timeout, Map<String, String> environment) {

    private static final String WRAPPER = "\"$@\" 1>&2; rc=$?; times; exit $rc";
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /** Wall and CPU milliseconds of one run. */
    record Timing(double wallMillis, double cpuMillis) {}

    Timing run(List<String> argv) throws IOException {
        List<String> wrapped = new ArrayList<>(List.of("/bin/bash", "-c", WRAPPER, "bash"));
        wrapped.addAll(argv);
        long started = System.nanoTime();
        CommandRunner.CommandResult result =
                commands.runChecked(CommandRunner.Command.of(timeout, wrapped).withEnvironment(environment));
        double wall = (System.nanoTime() - started) / 1e6;
        List<String> lines = result.stdout().strip().lines().toList();
        Matcher children = TIMES.matcher(lines.getLast());
        if (!children.matches()) {
            throw new IOException("no times line from " + argv + ": " + result.stdout());
        }
        double cpu = (Long.parseLong(children.group(1)) * 60
                        + Double.parseDouble(children.group(2))
                        + Long.parseLong(children.group(3)) * 60
                        + Double.parseDouble(children.group(4)))
                * 1000;
        return new Timing(wall, cpu);
    }
}
