package dev.berth.e2e.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a runtime's pod start goes: per step (the CRI call, e.g. RunPodSandbox) the samples of each
 * phase, in the order the runtime reported them. Parsed from berthd's DEBUG lines
 * {@code ... RunPodSandbox phases ms: pin-ns=1.20 cgroup=0.31 total=9.80}.
 */
record PhaseBreakdown(Map<String, Map<String, List<Double>>> steps) {

    private static final Pattern LINE = Pattern.compile(" (\\w+) phases ms: (.*)$");
    private static final Pattern PHASE = Pattern.compile("([\\w-]+)=([0-9.]+)");

    static PhaseBreakdown empty() {
        return new PhaseBreakdown(Map.of());
    }

    /** Skips the first {@code warmUps} lines of each step (the warm-up pod's). */
    static PhaseBreakdown parse(List<String> lines, int warmUps) {
        Map<String, Map<String, List<Double>>> steps = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String step = m.group(1);
            if (seen.merge(step, 1, Integer::sum) <= warmUps) {
                continue;
            }
            Map<String, List<Double>> phases = steps.computeIfAbsent(step, s -> new LinkedHashMap<>());
            Matcher p = PHASE.matcher(m.group(2));
            while (p.find()) {
                phases.computeIfAbsent(p.group(1), k -> new ArrayList<>()).add(Double.parseDouble(p.group(2)));
            }
        }
        return new PhaseBreakdown(steps);
    }
}
