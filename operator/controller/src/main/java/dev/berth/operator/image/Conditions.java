package dev.berth.operator.image;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** metav1 Conditions: the transition time moves only when the status does, as kubectl wait and humans expect. */
public final class Conditions {
    private Conditions() {}

    public static Condition of(
            String type,
            boolean status,
            String reason,
            String message,
            Long generation,
            List<Condition> previous,
            Instant now) {
        String value = status ? "True" : "False";
        String since = previous == null
                ? null
                : previous.stream()
                        .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                        .map(Condition::getLastTransitionTime)
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(null);
        return new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since != null ? since : rfc3339(now))
                .build();
    }

    public static String rfc3339(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
