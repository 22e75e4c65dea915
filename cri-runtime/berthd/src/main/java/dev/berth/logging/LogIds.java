package dev.berth.logging;

import org.slf4j.MDC;

/**
 * The MDC keys lines are found by: a CRI call's pod and container (json lines carry them as fields). The gRPC
 * layer sets them from each request; the calls that make an ID set it here once made, and the gRPC layer clears it
 * with the call.
 */
public final class LogIds {

    public static final String POD_ID = "pod_id";
    public static final String CONTAINER_ID = "container_id";

    private LogIds() {}

    public static void pod(String id) {
        MDC.put(POD_ID, id);
    }

    public static void container(String id) {
        MDC.put(CONTAINER_ID, id);
    }

    /**
     * What {@code key} holds now, put back on close: a call that sets an ID it made leaves the thread as it found
     * it, so a thread that is no gRPC call's (a restart, a test) carries no stale ID into its next lines.
     */
    public static Scope keep(String key) {
        String previous = MDC.get(key);
        return () -> {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        };
    }

    /** An {@link AutoCloseable} that throws nothing. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
