package dev.berth.operator.process;

/** What the health endpoints ask the process. */
public interface HealthProbe {
    /** /healthz: false makes kubelet restart the pod. */
    boolean live();

    /** /readyz. */
    boolean ready();

    /** For /metrics: whether this replica does the work (always true for a node agent). */
    boolean leader();

    /** A short human explanation of the current state, for the endpoints' bodies. */
    String describe();
}
