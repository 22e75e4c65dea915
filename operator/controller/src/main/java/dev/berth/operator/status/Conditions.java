package dev.berth.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * metav1.Condition bookkeeping for every Berth status: lastTransitionTime moves only when a condition's status
 * changes, as kubectl wait and humans expect.
 */
public final class Conditions {
    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final Long generation;
    private final Instant now;

    public Conditions(List<Condition> previous, Long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    public Conditions set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String since = find(previous, type)
                .filter(c -> value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.toString());
        next.add(new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build());
        return this;
    }

    public List<Condition> build() {
        return List.copyOf(next);
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** RFC 3339 to the second, as metav1.Time serialises. */
    public static String rfc3339(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
