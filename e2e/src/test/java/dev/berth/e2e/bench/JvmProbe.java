package dev.berth.e2e.bench;

import dev.berth.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks into another JVM (berthd) with the JDK's {@code jcmd}, which attaches as the same user: the live objects
 * by class (GC.class_histogram runs a full GC first) and the heap in use right after it. Nothing is asked of
 * berthd itself, so the daemon needs no endpoint for it.
 */
final class JvmProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    /** A generation's line, Serial GC's "DefNew     total 4928K, used 4927K [...]" and "Tenured    total ...". */
    private static final Pattern GENERATION_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    /** Instances and bytes of one class's live objects. */
    record ClassCount(long instances, long bytes) {}

    private final CommandRunner commands;
    private final Path jcmd;

    JvmProbe(CommandRunner commands) {
        this.commands = commands;
        this.jcmd = ProcessHandle.current()
                .info()
                .command()
                .map(java -> Path.of(java).resolveSibling("jcmd"))
                .orElse(Path.of("jcmd"));
    }

    boolean available() {
        return Files.isExecutable(jcmd);
    }

    /** Live objects by class name, after the full GC the histogram forces. */
    Map<String, ClassCount> classHistogram(long pid) throws IOException {
        Map<String, ClassCount> counts = new LinkedHashMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                counts.merge(
                        m.group(3),
                        new ClassCount(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        (a, b) -> new ClassCount(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return counts;
    }

    /** The heap in use (all generations), in KiB, as GC.heap_info reports it; -1 if it names no generation. */
    long heapUsedKib(long pid) throws IOException {
        Matcher m = GENERATION_USED.matcher(jcmd(pid, "GC.heap_info"));
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        return found ? used : -1;
    }

    private String jcmd(long pid, String command) throws IOException {
        return commands.runChecked(
                        CommandRunner.Command.of(TIMEOUT, List.of(jcmd.toString(), Long.toString(pid), command)))
                .stdout();
    }
}
