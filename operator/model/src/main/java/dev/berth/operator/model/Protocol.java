package dev.berth.operator.model;

/** The transport of an {@link AppPort}, as Kubernetes names it. */
public enum Protocol {
    TCP,
    UDP,
    SCTP
}
