package dev.berth.e2e.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a runtime's pod start goes: per step (the CRI call, e.g. RunPodSandbox) the samples of each
 * phase, in the order the runtime reported them. Parsed from berthd's DEBUG lines
 * {@code ... pod <id> RunPodSandbox phases ms: pin-ns=1.20 cgroup=0.31 total=9.80}.
 */
record PhaseBreakdown(Map<String, Map<String, List<Double>>> steps) {

    private static final Pattern LINE = Pattern.compile(" (\\w+) phases ms: (.*)$");
    private static final Pattern PHASE = Pattern.compile("([\\w-]+)=([0-9.]+)");

    static PhaseBreakdown empty() {
        return new PhaseBreakdown(Map.of());
    }

    /**
     * Only the lines that name one of {@code ids} (the pod and container IDs of one lane's timed starts): several
     * lanes may share one runtime, and the warm-up's lines are left out by not being among the IDs.
     */
    static PhaseBreakdown parse(List<String> lines, Set<String> ids) {
        Map<String, Map<String, List<Double>>> steps = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.find() || ids.stream().noneMatch(line::contains)) {
                continue;
            }
            Map<String, List<Double>> phases = steps.computeIfAbsent(m.group(1), s -> new LinkedHashMap<>());
            Matcher p = PHASE.matcher(m.group(2));
            while (p.find()) {
                phases.computeIfAbsent(p.group(1), k -> new ArrayList<>()).add(Double.parseDouble(p.group(2)));
            }
        }
        return new PhaseBreakdown(steps);
    }
}
