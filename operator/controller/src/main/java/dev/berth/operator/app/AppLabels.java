package dev.berth.operator.app;

import dev.berth.operator.model.App;
import java.util.Map;

/**
 * The labels on everything an App owns. The selector carries both, so a stray pod that merely shares the
 * App's name label is never counted as one of its replicas.
 */
public final class AppLabels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "berth-operator";
    /** The pod informer watches only what Berth manages, not every pod of the cluster. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private AppLabels() {}

    public static Map<String, String> of(App app) {
        return Map.of(NAME, app.getMetadata().getName(), MANAGED_BY, OPERATOR);
    }
}
