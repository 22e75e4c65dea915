package dev.berth.cri.fuzz;

import dev.berth.cri.fuzz.CriCalls.Answer;
import io.grpc.Status;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a fuzz run sent and what berthd answered: per RPC the count of each code, and every answer that is not
 * a precise one, folded into classes (RPC, code, first mutated field, berthd's message with IDs and numbers
 * folded) with a count and the first example.
 */
final class Ledger {

    /** The codes that say precisely what is wrong with a request. */
    private static final Set<Status.Code> PRECISE = EnumSet.of(
            Status.Code.OK,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND,
            Status.Code.FAILED_PRECONDITION,
            Status.Code.ALREADY_EXISTS,
            Status.Code.OUT_OF_RANGE,
            Status.Code.RESOURCE_EXHAUSTED);

    /** A pull also fails precisely because of the registry it names. */
    private static final Set<Status.Code> PULL =
            EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);

    record Finding(String rpc, Status.Code code, String description, String input, long millis, int count) {

        Finding again() {
            return new Finding(rpc, code, description, input, millis, count + 1);
        }

        @Override
        public String toString() {
            return "%s → %s ×%d (%d ms) %s%n      e.g. %s"
                    .formatted(rpc, code, count, millis, Show.message(description), input);
        }
    }

    private final Map<String, Map<Status.Code, Integer>> counts = new ConcurrentHashMap<>();
    private final Map<String, Finding> findings = new ConcurrentHashMap<>();

    /**
     * Records the answer; returns whether it was precise. DEADLINE_EXCEEDED counts as berthd's own answer only
     * when it came before the client's deadline; at the deadline it is a hang.
     */
    boolean record(String rpc, String input, Answer answer, long deadlineMillis) {
        counts.computeIfAbsent(rpc, r -> new ConcurrentHashMap<>()).merge(answer.code(), 1, Integer::sum);
        boolean precise = PRECISE.contains(answer.code())
                || (rpc.equals("PullImage") && PULL.contains(answer.code()))
                || (answer.code() == Status.Code.DEADLINE_EXCEEDED && answer.millis() < deadlineMillis - 500)
                || (answer.code() == Status.Code.UNIMPLEMENTED && !CriCalls.implemented(rpc));
        if (!precise) {
            String field = input.contains(" ") ? input.substring(0, input.indexOf(' ')) : input;
            String key = rpc + "|" + answer.code() + "|" + field + "|" + Show.normalized(answer.description());
            findings.merge(
                    key,
                    new Finding(rpc, answer.code(), answer.description(), input, answer.millis(), 1),
                    (old, ignored) -> old.again());
        }
        return precise;
    }

    /** The classes found since the last call: each property reports its own. */
    List<Finding> drain() {
        List<Finding> found = findings.values().stream()
                .sorted(java.util.Comparator.comparing(Finding::rpc).thenComparing(f -> -f.count()))
                .toList();
        findings.clear();
        return found;
    }

    long calls(String rpc) {
        return counts.getOrDefault(rpc, Map.of()).values().stream()
                .mapToLong(Integer::longValue)
                .sum();
    }

    /** Per RPC: how many requests, and how many of each code. */
    String table() {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(counts)
                .forEach((rpc, codes) -> out.append("  %-28s %6d  %s%n"
                        .formatted(
                                rpc,
                                codes.values().stream()
                                        .mapToInt(Integer::intValue)
                                        .sum(),
                                new EnumMap<>(codes)
                                        .entrySet().stream()
                                                .map(e -> e.getKey() + "=" + e.getValue())
                                                .collect(Collectors.joining(" ")))));
        return out.toString();
    }

    static String report(List<Finding> findings) {
        return findings.stream().map(f -> "  " + f).collect(Collectors.joining("\n"));
    }
}
